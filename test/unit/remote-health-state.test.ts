import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyProbe,
  checkingRow,
  initialServerHealth,
  type ProbeOutcome,
  type RemoteHealthPolicy,
  type ServerHealthState,
} from '../../src/domain/remote-health.js';
import type { DomainEvent, NotificationRequest } from '../../src/domain/types.js';

const ID = { group: 'Rack', server: 'nas', host: '10.0.0.9', user: 'root', isHostLoopback: false };
const POLICY: RemoteHealthPolicy = {
  failureThreshold: 2,
  notifyOnFailure: true,
  notifyOnRecovery: true,
};
const ok = (latencyMs = 40): ProbeOutcome => ({ ok: true, latencyMs });
const fail = (error = 'exit code 255'): ProbeOutcome => ({ ok: false, error });

/** Replays outcomes one minute apart and collects everything emitted. */
function replay(
  outcomes: ProbeOutcome[],
  policy = POLICY,
  start = initialServerHealth(ID, true),
  stepMs = 60_000,
) {
  let state: ServerHealthState = start;
  const events: DomainEvent[] = [];
  const notifications: NotificationRequest[] = [];
  const logs: string[] = [];
  const statuses: string[] = [];
  outcomes.forEach((outcome, index) => {
    const clock = {
      monoMs: (index + 1) * stepMs,
      wallMs: 1_700_000_000_000 + (index + 1) * stepMs,
    };
    const step = applyProbe(state, outcome, policy, clock);
    state = step.state;
    events.push(...step.events);
    notifications.push(...step.notifications);
    logs.push(...step.logs.map((l) => l.message));
    statuses.push(state.row.status);
  });
  return { state, events, notifications, logs, statuses };
}

describe('remote health state machine (core §9)', () => {
  it('starts UNKNOWN when probed, DISABLED when not', () => {
    assert.equal(initialServerHealth(ID, true).row.status, 'UNKNOWN');
    assert.equal(initialServerHealth(ID, false).row.status, 'DISABLED');
    assert.equal(checkingRow(initialServerHealth(ID, true)).status, 'CHECKING');
  });

  it('UNKNOWN -> HEALTHY is the silent baseline', () => {
    const run = replay([ok(), ok()]);
    assert.deepEqual(run.statuses, ['HEALTHY', 'HEALTHY']);
    assert.deepEqual(run.events, []);
    assert.equal(run.state.row.latency_ms, 40);
    assert.equal(run.state.row.last_success_at, 1_700_000_120);
  });

  it('DEGRADED below the threshold, FAILED at it, exactly one failure event and notification per failed period', () => {
    const run = replay([
      ok(),
      fail('connection refused'),
      fail('connection refused'),
      fail(),
      fail(),
    ]);
    assert.deepEqual(run.statuses, ['HEALTHY', 'DEGRADED', 'FAILED', 'FAILED', 'FAILED']);
    assert.deepEqual(
      run.events.map((e) => [e.type, e.notify]),
      [
        ['REMOTE_HEALTH_DEGRADED', false],
        ['REMOTE_HEALTH_FAILED', true],
      ],
    );
    assert.equal(
      run.events[0]?.detail,
      'Rack/nas (10.0.0.9) HEALTHY -> DEGRADED: connection refused',
    );
    assert.equal(
      run.events[1]?.detail,
      'Rack/nas (10.0.0.9) DEGRADED -> FAILED: connection refused',
    );
    assert.deepEqual(
      run.notifications.map((n) => n.title),
      ['Remote SSH Health Failed'],
    );
    assert.equal(run.state.row.consecutive_failures, 4);
    assert.equal(run.state.row.last_error, 'exit code 255');
    assert.equal(run.state.row.latency_ms, null);
    assert.ok(run.logs.some((l) => l.startsWith('Remote health degraded')));
    assert.equal(run.logs.filter((l) => l.startsWith('Remote health failed')).length, 1);
  });

  it('recovery after FAILED notifies once; a second outage is a new failed period', () => {
    const run = replay([fail(), fail(), ok(), ok(), fail(), fail(), ok()]);
    assert.deepEqual(
      run.events.map((e) => e.type),
      [
        'REMOTE_HEALTH_DEGRADED',
        'REMOTE_HEALTH_FAILED',
        'REMOTE_HEALTH_HEALTHY',
        'REMOTE_HEALTH_DEGRADED',
        'REMOTE_HEALTH_FAILED',
        'REMOTE_HEALTH_HEALTHY',
      ],
    );
    assert.equal(run.events[0]?.detail, 'Rack/nas (10.0.0.9) UNKNOWN -> DEGRADED: exit code 255');
    assert.equal(run.events[2]?.detail, 'Rack/nas (10.0.0.9) FAILED -> HEALTHY');
    assert.equal(run.events[2]?.notify, true);
    assert.deepEqual(
      run.notifications.map((n) => n.title),
      [
        'Remote SSH Health Failed',
        'Remote SSH Health Recovered',
        'Remote SSH Health Failed',
        'Remote SSH Health Recovered',
      ],
    );
    assert.equal(run.logs.filter((l) => l.startsWith('Remote health recovered')).length, 2);
  });

  it('recovery after DEGRADED only records an event, without a notification', () => {
    const run = replay([ok(), fail(), ok()]);
    assert.deepEqual(
      run.events.map((e) => [e.type, e.notify]),
      [
        ['REMOTE_HEALTH_DEGRADED', false],
        ['REMOTE_HEALTH_HEALTHY', false],
      ],
    );
    assert.deepEqual(run.notifications, []);
    assert.equal(run.state.row.consecutive_failures, 0);
  });

  it('threshold 1: straight to FAILED; notify switches only affect notifications', () => {
    const quiet = { failureThreshold: 1, notifyOnFailure: false, notifyOnRecovery: false };
    const run = replay([fail(), ok()], quiet);
    assert.deepEqual(
      run.events.map((e) => [e.type, e.notify]),
      [
        ['REMOTE_HEALTH_FAILED', false],
        ['REMOTE_HEALTH_HEALTHY', false],
      ],
    );
    assert.equal(run.events[0]?.detail, 'Rack/nas (10.0.0.9) UNKNOWN -> FAILED: exit code 255');
    assert.deepEqual(run.notifications, []);
  });

  it('a loopback failure uses the loopback notification', () => {
    const start = initialServerHealth({ ...ID, isHostLoopback: true }, true);
    const run = replay([fail(), fail()], POLICY, start);
    assert.equal(run.notifications[0]?.title, 'Host Loopback FAILED');
    assert.match(run.notifications[0]?.body ?? '', /we cannot shut the system down/);
  });

  it('slow responses >= 2000 ms: at most one event per 300 s per server', () => {
    const run = replay(
      [ok(2500), ok(2500), ok(1999), ok(3000), ok(2100), ok(2200), ok(2300)],
      POLICY,
      undefined,
      60_000,
    );
    const slow = run.events.filter((e) => e.type === 'REMOTE_SSH_SLOW_RESPONSE');
    // t=60 s reported; next allowed at >= 360 s: the probe at 360 s (index 5).
    assert.deepEqual(
      slow.map((e) => e.detail),
      [
        'Rack/nas (10.0.0.9) slow SSH response: 2500 ms',
        'Rack/nas (10.0.0.9) slow SSH response: 2200 ms',
      ],
    );
    assert.ok(slow.every((e) => !e.notify));
  });

  it('three consecutive probes >= 10000 ms: one notifying event, re-armed after a fast probe', () => {
    const run = replay(
      [ok(12_000), ok(11_000), ok(10_000), ok(10_500), ok(100), ok(10_000), ok(10_000), ok(10_000)],
      POLICY,
      undefined,
      400_000,
    );
    const notifying = run.events.filter((e) => e.type === 'REMOTE_SSH_SLOW_RESPONSE' && e.notify);
    assert.equal(notifying.length, 2);
    assert.match(notifying[0]?.detail ?? '', /3 consecutive probes >= 10000 ms/);
    assert.deepEqual(
      run.notifications.map((n) => n.title),
      ['Remote SSH Slow', 'Remote SSH Slow'],
    );
  });

  it('a failure breaks the very-slow streak', () => {
    const run = replay(
      [ok(10_000), ok(10_000), fail(), ok(10_000)],
      { ...POLICY, failureThreshold: 5 },
      undefined,
      400_000,
    );
    assert.equal(run.events.filter((e) => e.notify).length, 0);
  });
});
