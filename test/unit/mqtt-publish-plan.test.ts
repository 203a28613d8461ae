import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fingerprint, sortedJson } from '../../src/mqtt/fingerprint.js';
import {
  PublishPlanner,
  upsStatePayload,
  type PublishPlanOptions,
} from '../../src/mqtt/publish-plan.js';
import type { MqttDocument } from '../../src/mqtt/topics.js';

type Doc = MqttDocument & {
  runtime?: unknown;
  generatedAt: number;
  ups: (Record<string, unknown> & { groupId: string; name: string; label: string })[];
};

/** The recorded `eneru/status` payload of the original daemon. */
function recordedDocument(): Doc {
  const line = readFileSync(
    new URL('../fixtures/eneru-api-examples/mqtt-status.txt', import.meta.url),
    'utf8',
  );
  return JSON.parse(line.slice(line.indexOf(' ') + 1)) as Doc;
}

function withStatus(status: string, generatedAt: number, lastUpdateTime: number): Doc {
  const doc = recordedDocument();
  doc.generatedAt = generatedAt;
  const ups = doc.ups[0];
  assert.ok(ups);
  ups.status = status;
  ups.lastUpdateTime = lastUpdateTime;
  (ups.batteryHealth as Record<string, unknown>).ts = lastUpdateTime;
  return doc;
}

const OPTIONS: PublishPlanOptions = {
  topicPrefix: 'eneru/',
  publishIntervalMs: 10_000,
  retainState: true,
  availability: true,
  homeAssistant: { enabled: false, discoveryPrefix: 'homeassistant' },
  version: '7.0.0',
};

describe('fingerprint and sorted JSON', () => {
  it('sorts keys at every depth and keeps array order', () => {
    assert.equal(
      sortedJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('ignores generatedAt, every lastUpdateTime, batteryHealth.ts and remote-health timestamps', () => {
    const a = withStatus('OL', 1, 1);
    const b = withStatus('OL', 2, 2);
    (b.ups[0] as Record<string, unknown>).remoteHealth = [
      { server: 's', status: 'HEALTHY', last_checked_at: 9, last_success_at: 9, latency_ms: 12 },
    ];
    (a.ups[0] as Record<string, unknown>).remoteHealth = [
      { server: 's', status: 'HEALTHY', last_checked_at: 1, last_success_at: 1, latency_ms: 80 },
    ];
    assert.equal(fingerprint(a), fingerprint(b));
  });

  it('ignores loopbackDelegate.lastChecked but not its status', () => {
    const a = withStatus('OL', 1, 1);
    const b = withStatus('OL', 1, 1);
    a.runtime = {
      context: 'container',
      loopbackDelegate: { configured: true, status: 'HEALTHY', lastChecked: 1 },
    };
    b.runtime = {
      context: 'container',
      loopbackDelegate: { configured: true, status: 'HEALTHY', lastChecked: 2 },
    };
    assert.equal(fingerprint(a), fingerprint(b));
    b.runtime = {
      context: 'container',
      loopbackDelegate: { configured: true, status: 'FAILED', lastChecked: 2 },
    };
    assert.notEqual(fingerprint(a), fingerprint(b));
  });

  it('sees real changes, including a remote-health status change', () => {
    assert.notEqual(fingerprint(withStatus('OL', 1, 1)), fingerprint(withStatus('OB', 1, 1)));
    const a = withStatus('OL', 1, 1);
    const b = withStatus('OL', 1, 1);
    (a.ups[0] as Record<string, unknown>).remoteHealth = [{ status: 'HEALTHY' }];
    (b.ups[0] as Record<string, unknown>).remoteHealth = [{ status: 'DEGRADED' }];
    assert.notEqual(fingerprint(a), fingerprint(b));
  });

  it('keeps selfTest timestamps (they are content, not production time)', () => {
    const a = withStatus('OL', 1, 1);
    const b = withStatus('OL', 1, 1);
    (a.ups[0] as Record<string, unknown>).selfTest = { startedTs: 1, result: 'OK' };
    (b.ups[0] as Record<string, unknown>).selfTest = { startedTs: 2, result: 'OK' };
    assert.notEqual(fingerprint(a), fingerprint(b));
  });
});

describe('PublishPlanner', () => {
  const statusOf = (planner: PublishPlanner, doc: Doc, nowMs: number): string[] =>
    planner
      .plan(doc, nowMs)
      .filter((m) => m.topic === 'eneru/status')
      .map((m) => m.payload);

  it('statuses OL, OB, OB differing only in volatile fields publish twice (spec §9)', () => {
    const planner = new PublishPlanner(OPTIONS);
    const published = [
      ...statusOf(planner, withStatus('OL', 100, 99), 0),
      ...statusOf(planner, withStatus('OB', 101, 100), 1000),
      ...statusOf(planner, withStatus('OB', 102, 101), 2000),
    ];
    assert.equal(published.length, 2);
    assert.equal((JSON.parse(published[1] ?? '') as Doc).ups[0]?.status, 'OB');
  });

  it('status payload is the whole document with sorted keys, QoS 0, not retained', () => {
    const planner = new PublishPlanner(OPTIONS);
    const doc = withStatus('OL', 5, 5);
    const status = planner.plan(doc, 0).find((m) => m.topic === 'eneru/status');
    assert.ok(status);
    assert.equal(status.qos, 0);
    assert.equal(status.retain, false);
    assert.deepEqual(JSON.parse(status.payload), doc);
    assert.equal(status.payload, sortedJson(doc));
  });

  it('republishes unchanged content once the interval elapsed', () => {
    const planner = new PublishPlanner(OPTIONS);
    assert.equal(statusOf(planner, withStatus('OL', 1, 1), 0).length, 1);
    assert.equal(statusOf(planner, withStatus('OL', 2, 2), 9_999).length, 0);
    assert.equal(statusOf(planner, withStatus('OL', 3, 3), 10_000).length, 1);
  });

  it('per-UPS state topic is retained when retain_state is on and carries quorumLost', () => {
    const planner = new PublishPlanner(OPTIONS);
    const doc = withStatus('OL', 1, 1);
    doc.redundancyGroups = [{ upsSources: [doc.ups[0]?.name ?? ''], quorumLost: true }];
    const state = planner
      .plan(doc, 0)
      .find((m) => m.topic === 'eneru/ups/TestUPS-127.0.0.1-3493/state');
    assert.ok(state);
    assert.equal(state.retain, true);
    const payload = JSON.parse(state.payload) as Record<string, unknown>;
    assert.equal(payload.quorumLost, true);
    assert.equal(payload.batteryCharge, '100');
    const off = new PublishPlanner({ ...OPTIONS, retainState: false }).plan(
      withStatus('OL', 1, 1),
      0,
    );
    assert.equal(off.find((m) => m.topic.endsWith('/state'))?.retain, false);
  });

  it('quorumLost is false for a UPS outside every redundancy group', () => {
    const doc = withStatus('OL', 1, 1);
    doc.redundancyGroups = [{ upsSources: ['Other@host'], quorumLost: true }];
    assert.equal(upsStatePayload(doc.ups[0] as Doc['ups'][number], doc).quorumLost, false);
  });

  it('sends discovery once per connection, again after rediscover() or reset()', () => {
    const planner = new PublishPlanner({
      ...OPTIONS,
      homeAssistant: { enabled: true, discoveryPrefix: 'homeassistant' },
    });
    const discovery = (nowMs: number): number =>
      planner
        .plan(withStatus('OL', nowMs, nowMs), nowMs)
        .filter((m) => m.topic.startsWith('homeassistant/')).length;
    assert.equal(discovery(0), 14);
    assert.equal(discovery(1), 0);
    planner.rediscover();
    assert.equal(discovery(2), 14);
    planner.reset();
    assert.equal(discovery(3), 14);
  });

  it('rediscover() resends per-UPS state but not an unchanged status', () => {
    const planner = new PublishPlanner(OPTIONS);
    planner.plan(withStatus('OL', 0, 0), 0);
    planner.rediscover();
    const topics = planner.plan(withStatus('OL', 1, 1), 1).map((m) => m.topic);
    assert.deepEqual(topics, ['eneru/ups/TestUPS-127.0.0.1-3493/state']);
  });
});
