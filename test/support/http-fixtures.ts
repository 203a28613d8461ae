/**
 * Test builders for the HTTP / metrics tests: a real `LiveStateStore` filled with identities
 * and snapshots the way the monitor fills it, so tests exercise the same path as the daemon;
 * remote-health rows; and the recorded answers of the original with a shape comparison.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LiveStateStore, type UpsIdentity } from '../../src/monitor/live-state.js';
import type { RemoteHealthRow, UpsSnapshot } from '../../src/domain/types.js';

export function sanitize(name: string): string {
  return name.replace(/[@:/]/g, '-');
}

export function identity(name: string, label = name, isLocal = true): UpsIdentity {
  return {
    name,
    label,
    displayName: label === name ? null : label,
    groupId: sanitize(name),
    isLocal,
  };
}

export function neverPolled(): UpsSnapshot {
  return {
    status: '',
    vars: {},
    depletionRatePctPerMin: 0,
    timeOnBatterySec: 0,
    lastUpdateWallMs: 0,
    connectionState: 'OK',
    triggerActive: false,
    triggerReason: '',
    staleDataCount: 0,
    nominalVoltage: null,
    warningLow: null,
    warningHigh: null,
    voltageState: 'NORMAL',
    avrState: 'INACTIVE',
    bypassState: 'INACTIVE',
    overloadState: 'INACTIVE',
  };
}

export const BASELINE_VARS: Readonly<Record<string, string>> = {
  'ups.status': 'OL CHRG',
  'battery.charge': '100',
  'battery.runtime': '1800',
  'ups.load': '25',
  'input.voltage': '230.5',
  'output.voltage': '230.0',
  'battery.voltage': '54.0',
  'ups.temperature': '35',
  'input.frequency': '50.0',
  'output.frequency': '50.0',
};

export function polled(
  overrides: Partial<UpsSnapshot> = {},
  wallMs = 1_796_412_170_025,
): UpsSnapshot {
  return {
    ...neverPolled(),
    status: 'OL CHRG',
    vars: BASELINE_VARS,
    lastUpdateWallMs: wallMs,
    nominalVoltage: 230,
    warningLow: 207,
    warningHigh: 253,
    ...overrides,
  };
}

/** A store holding one polled UPS (the fixture's baseline `TestUPS@127.0.0.1:3493`). */
export function baselineLive(): LiveStateStore {
  const live = new LiveStateStore();
  live.register(identity('TestUPS@127.0.0.1:3493', 'Baseline TestUPS', false), polled());
  return live;
}

/** The body of a recorded answer of the original (`HTTP/1.1 ...` headers, CRLF, blank line, body). */
export function fixtureText(file: string): string {
  const text = readFileSync(`test/fixtures/eneru-api-examples/${file}`, 'utf8');
  const cut = text.indexOf('\r\n\r\n');
  if (cut < 0) throw new Error(`fixture ${file} has no header/body separator`);
  return text.slice(cut + 4);
}

export function fixtureJson(file: string): unknown {
  return JSON.parse(fixtureText(file));
}

/**
 * Asserts the same keys and JSON types as `expected` (the original's answer), recursively;
 * values may differ.
 */
export function assertSameShape(actual: unknown, expected: unknown, path = '$'): void {
  if (expected === null || actual === null) {
    assert.equal(actual === null, expected === null, `${path}: null-ness`);
    return;
  }
  assert.equal(typeof actual, typeof expected, `${path}: type`);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: array`);
    if (expected.length > 0 && (actual as unknown[]).length > 0)
      assertSameShape((actual as unknown[])[0], expected[0], `${path}[0]`);
    return;
  }
  if (typeof expected === 'object') {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), `${path}: keys`);
    for (const key of Object.keys(e)) assertSameShape(a[key], e[key], `${path}.${key}`);
  }
}

/** A remote-health row of a server never checked yet, with any field overridden. */
export function healthRow(
  overrides: Partial<RemoteHealthRow> & Pick<RemoteHealthRow, 'server' | 'status'>,
): RemoteHealthRow {
  return {
    group: 'g',
    host: `${overrides.server}.lan`,
    user: 'root',
    last_checked_at: null,
    last_success_at: null,
    last_error: null,
    latency_ms: null,
    consecutive_failures: 0,
    is_host_loopback: false,
    ...overrides,
  };
}
