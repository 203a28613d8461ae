import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildUpsDocument, buildUpsObject } from '../../src/monitor/ups-document.js';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import {
  assertSameShape,
  baselineLive,
  fixtureJson,
  healthRow,
  identity,
  neverPolled,
} from '../support/http-fixtures.js';

const runtime = { context: 'container (Docker)', loopbackDelegate: { configured: false as const } };

describe('UPS document', () => {
  it('matches the original /api/v1/ups keys and types (battery health and energy are null)', () => {
    const doc = buildUpsDocument({
      live: baselineLive(),
      version: '7.0.0',
      runtime,
      nowWallMs: 1_796_412_170_684,
    });
    const expected = fixtureJson('04-ups.txt') as { ups: Array<Record<string, unknown>> };
    for (const row of expected.ups) {
      row.batteryHealth = null;
      row.energy = null;
    }
    assertSameShape(doc, expected);
    const ups = doc.ups[0];
    assert.ok(ups);
    assert.equal(ups.batteryCharge, '100');
    assert.equal(ups.runtime, '1800');
    assert.equal(ups.load, '25');
    assert.equal(ups.powerQuality.inputVoltage, '230.5');
    assert.equal(ups.powerQuality.nominalVoltage, 230);
    assert.equal(ups.lastUpdateTime, 1796412170.025);
    assert.equal(doc.generatedAt, 1796412170.684);
    assert.equal(doc.runtimeContext, 'container (Docker)');
    assert.equal(doc.version, '7.0.0');
  });

  it('shows empty strings, nulls and lastUpdateTime 0 before the first poll', () => {
    const live = new LiveStateStore();
    live.register(identity('UPS@h'), neverPolled());
    const ups = buildUpsObject(live.list()[0]!, { remoteHealth: [] });
    assert.equal(ups.status, '');
    assert.equal(ups.batteryCharge, '');
    assert.equal(ups.powerQuality.temperature, '');
    assert.equal(ups.powerQuality.nominalVoltage, null);
    assert.equal(ups.powerQuality.warningHigh, null);
    assert.equal(ups.lastUpdateTime, 0);
    assert.equal(ups.displayName, null);
    assert.equal(ups.groupId, 'UPS-h');
  });

  it('attaches remote-health rows of the UPS label and of redundancy groups', () => {
    const live = baselineLive();
    const row = healthRow({
      group: 'Baseline TestUPS',
      server: 'nas',
      host: 'h',
      user: 'u',
      status: 'HEALTHY',
    });
    live.setRemoteHealth('Baseline TestUPS', [row]);
    live.setRemoteHealth('redundancy:pair', [{ ...row, group: 'redundancy:pair' }]);
    live.setRedundancyGroups([
      {
        groupId: 'redundancy-pair',
        name: 'pair',
        upsSources: ['TestUPS@127.0.0.1:3493'],
        minHealthy: 1,
        healthyCount: 1,
        quorumLost: false,
        quorumDeferred: false,
        members: [],
        isLocal: true,
      },
    ]);
    const doc = buildUpsDocument({ live, version: 'v', runtime, nowWallMs: 0 });
    assert.deepEqual(doc.ups[0]?.remoteHealth, [row]);
    assert.equal(doc.redundancyGroups[0]?.remoteHealth[0]?.group, 'redundancy:pair');
  });
});
