/**
 * End to end: the built `eneru run --api` against a real upsd + dummy-ups. The API must follow
 * the UPS through a power cut (status, timeOnBattery, the ON_BATTERY event, the Prometheus
 * gauge), and a flood of API connections must not delay detection of a scenario switch beyond
 * two poll intervals.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { freePort } from '../support/ports.js';
import { writeE2eConfig } from '../support/e2e-config.js';
import { waitFor } from '../support/wait.js';

const CHECK_INTERVAL_SEC = 1;
const STEP_TIMEOUT_MS = 30_000;

interface UpsRow {
  name: string;
  status: string;
  timeOnBattery: number;
  batteryCharge: string;
}

describe('eneru run --api against real upsd', { timeout: 240_000 }, () => {
  let upsd: UpsdHarness;
  let dir: string;
  let daemon: DaemonProcess | null = null;
  let base = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-http-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging' } });
    const apiPort = await freePort();
    base = `http://127.0.0.1:${apiPort}`;
    const config = writeE2eConfig(
      dir,
      [
        'ups:',
        `  name: "TestUPS@127.0.0.1:${upsd.port}"`,
        '  display_name: "E2E Rack"',
        `  check_interval: ${CHECK_INTERVAL_SEC}`,
      ],
      [
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        '  low_battery_threshold: 5',
        '  critical_runtime_threshold: 10',
        '  extended_time:',
        '    enabled: false',
      ],
    );
    daemon = spawnEneru(['run', '-c', config, '--api', '--api-port', String(apiPort)]);
    await daemon.waitForOutput(/API server listening on 127\.0\.0\.1:/, STEP_TIMEOUT_MS);
  });

  after(async () => {
    await daemon?.stop('SIGTERM');
    await upsd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ups(): Promise<UpsRow> {
    const response = await fetch(`${base}/api/v1/ups`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { ups: UpsRow[] };
    const row = body.ups[0];
    assert.ok(row);
    return row;
  }

  async function until<T>(
    read: () => Promise<T>,
    ok: (value: T) => boolean,
    what: string,
    timeoutMs = STEP_TIMEOUT_MS,
  ): Promise<T> {
    let last: T | undefined;
    await waitFor(
      async () => {
        try {
          last = await read();
          return ok(last);
        } catch {
          // The daemon may be busy or the request refused under flood: try again.
          return false;
        }
      },
      timeoutMs,
      () => `${what} (last: ${JSON.stringify(last)})`,
    );
    return last as T;
  }

  async function timeOnBatteryMetric(): Promise<number> {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('eneru_ups_time_on_battery_seconds{'));
    return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  test('the API follows a power cut: status, timeOnBattery, ON_BATTERY event, metric', async () => {
    const online = await until(
      ups,
      (row) => row.status.startsWith('OL'),
      'UPS online in /api/v1/ups',
    );
    assert.equal(online.batteryCharge, '100');
    // Readiness as a whole depends on the host (in a container local poweroff needs a
    // loopback delegate); NUT polling itself must be achievable.
    const ready = (await (await fetch(`${base}/ready`)).json()) as {
      capabilities: Array<{ id: string; achievable: boolean }>;
    };
    assert.deepEqual(
      ready.capabilities.find((c) => c.id === 'nut_polling'),
      { achievable: true, id: 'nut_polling', reason: '' },
    );

    await upsd.switchScenario('TestUPS', 'on-battery');
    const first = await until(
      ups,
      (row) => row.status.includes('OB') && row.timeOnBattery >= 1,
      'UPS on battery',
    );
    assert.equal(first.batteryCharge, '85');
    await until(ups, (row) => row.timeOnBattery > first.timeOnBattery, 'timeOnBattery growing');

    const events = await until(
      async () =>
        (
          (await (await fetch(`${base}/api/v1/events?verbosity=0`)).json()) as {
            events: Array<{ eventType: string; ups: string }>;
          }
        ).events,
      (rows) => rows.some((e) => e.eventType === 'ON_BATTERY'),
      'ON_BATTERY in /api/v1/events',
    );
    assert.ok(events.every((e) => e.ups === `TestUPS@127.0.0.1:${upsd.port}`));
    await until(timeOnBatteryMetric, (value) => value > 0, 'eneru_ups_time_on_battery_seconds > 0');

    await upsd.switchScenario('TestUPS', 'online-charging');
    await until(
      ups,
      (row) => row.status.startsWith('OL') && row.timeOnBattery === 0,
      'UPS back online',
    );
  });

  test('a connection flood does not delay detecting a switch beyond two poll intervals', async () => {
    let stop = false;
    let served = 0;
    let refused = 0;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const response = await fetch(`${base}/api/v1/ups`);
          await response.arrayBuffer();
          served += 1;
        } catch {
          refused += 1;
        }
      }
    };
    // 100 concurrent clients: more than the 64-connection cap, so some are refused at accept.
    const workers = Array.from({ length: 100 }, () => worker());
    try {
      await waitFor(() => served > 200, STEP_TIMEOUT_MS, 'the flood to get going');
      await upsd.switchScenario('TestUPS', 'on-battery');
      const switchedAt = Date.now();
      assert.ok(daemon);
      const seenBefore = daemon.records().filter((r) => r.event_type === 'ON_BATTERY').length;
      await daemon.waitForRecord(
        () => daemon!.records().filter((r) => r.event_type === 'ON_BATTERY').length > seenBefore,
        STEP_TIMEOUT_MS,
        'ON_BATTERY logged during the flood',
      );
      const detectedMs = Date.now() - switchedAt;
      // Two poll intervals, plus the 100 ms granularity of the log watcher.
      assert.ok(
        detectedMs <= 2 * CHECK_INTERVAL_SEC * 1000 + 250,
        `detected after ${detectedMs} ms`,
      );
      assert.ok(
        served > 200,
        `the API kept answering during the flood (${served} served, ${refused} refused)`,
      );
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    await upsd.switchScenario('TestUPS', 'online-charging');
    await until(ups, (row) => row.status.startsWith('OL'), 'UPS back online after the flood');
  });
});
