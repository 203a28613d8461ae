import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RedundancyEvaluator,
  type RedundancyExecutorPort,
  type RedundancyGroupSpec,
} from '../../src/monitor/redundancy-evaluator.js';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import { defaultTriggerPolicy } from '../../src/domain/policy.js';
import type { UpsSnapshot } from '../../src/domain/types.js';
import { snap } from '../support/domain-snapshot.js';
import { waitFor } from '../support/wait.js';
import { RecordingLogger } from '../support/shutdown-fixtures.js';

/** A member snapshot polled just now; on battery for two minutes when the status says OB. */
function snapshot(
  status: string,
  extra: Partial<UpsSnapshot> = {},
  vars: Record<string, string> = {},
): UpsSnapshot {
  return snap(
    {
      status,
      timeOnBatterySec: status.includes('OB') ? 120 : 0,
      lastUpdateWallMs: Date.now(),
      ...extra,
    },
    vars,
  );
}
const online = (): UpsSnapshot => snapshot('OL CHRG');
const critical = (): UpsSnapshot => snapshot('OB DISCHRG LB', {}, { 'battery.charge': '10' });

class FakeExecutor implements RedundancyExecutorPort {
  calls: string[] = [];
  constructor(
    private readonly result = true,
    private readonly delayMs = 0,
  ) {}
  async execute(reason: string): Promise<boolean> {
    this.calls.push(`execute ${reason}`);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    this.calls.push('done');
    return this.result;
  }
  rearm(): void {
    this.calls.push('rearm');
  }
}

/** Counted through a function so assertion narrowing on `calls` does not leak into later checks. */
function executions(executor: FakeExecutor): number {
  return executor.calls.filter((c) => c.startsWith('execute')).length;
}

const timing = {
  checkIntervalSec: 1,
  staleTolerance: 3,
  grace: { enabled: true, durationSec: 60 },
};

function setup(
  opts: {
    members?: string[];
    register?: string[];
    startupGraceSec?: number;
    executor?: FakeExecutor;
    minHealthy?: number;
  } = {},
) {
  const members = opts.members ?? ['UPS1@localhost', 'UPS2@localhost'];
  const live = new LiveStateStore();
  for (const name of opts.register ?? members) {
    live.register(
      {
        name,
        label: name,
        displayName: null,
        groupId: name.replace(/[@:/]/g, '-'),
        isLocal: false,
      },
      online(),
    );
  }
  const executor = opts.executor ?? new FakeExecutor();
  const spec: RedundancyGroupSpec = {
    policy: {
      name: 'rack',
      upsSources: members,
      minHealthy: opts.minHealthy ?? 1,
      degradedCountsAs: 'healthy',
      unknownCountsAs: 'critical',
      isLocal: false,
      triggers: defaultTriggerPolicy({ stabilizationSec: 0 }),
      startupGraceSec: opts.startupGraceSec ?? 0,
    },
    members: members.map((name) => ({ name, timing })),
    executor,
  };
  const logger = new RecordingLogger();
  const evaluator = new RedundancyEvaluator({
    groups: [spec],
    live,
    logger,
    clock: () => ({ monoMs: performance.now(), wallMs: Date.now() }),
    tickMs: 10,
  });
  const set = (name: string, snap: UpsSnapshot): void =>
    live.update(name.replace(/[@:/]/g, '-'), snap);
  return { live, executor, logger, evaluator, set };
}

test('losing one of two members with min_healthy 1 does nothing; losing both fires once; recovery re-arms', async () => {
  const { live, executor, logger, evaluator, set } = setup();
  evaluator.start();
  try {
    await waitFor(() => live.redundancyGroups()[0]?.healthyCount === 2, 5000, 'first evaluation');
    assert.deepEqual(live.redundancyGroups()[0], {
      groupId: 'redundancy-rack',
      name: 'rack',
      upsSources: ['UPS1@localhost', 'UPS2@localhost'],
      minHealthy: 1,
      healthyCount: 2,
      quorumLost: false,
      quorumDeferred: false,
      members: [
        { name: 'UPS1@localhost', health: 'healthy', effectiveHealth: 'healthy' },
        { name: 'UPS2@localhost', health: 'healthy', effectiveHealth: 'healthy' },
      ],
      isLocal: false,
    });
    set('UPS1@localhost', critical());
    await waitFor(
      () => live.redundancyGroups()[0]?.healthyCount === 1,
      5000,
      'one member critical',
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(executor.calls, []);

    set('UPS2@localhost', critical());
    await waitFor(() => executor.calls.includes('done'), 5000, 'executor run');
    assert.deepEqual(executor.calls, [
      'execute redundancy quorum lost: healthy=0 < min_healthy=1',
      'done',
    ]);
    assert.equal(live.redundancyGroups()[0]?.quorumLost, true);
    assert.ok(
      logger.has(
        "Redundancy group 'rack' quorum LOST (healthy=0, min_healthy=1; UPS1@localhost=critical, UPS2@localhost=critical)",
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(executions(executor), 1, 'fires once per loss');

    set('UPS1@localhost', online());
    await waitFor(() => executor.calls.includes('rearm'), 5000, 're-arm');
    assert.ok(logger.has(/Redundancy group 'rack' quorum restored -- re-armed for next event/));
    set('UPS1@localhost', critical());
    await waitFor(() => executions(executor) === 2, 5000, 'second loss fires again');
  } finally {
    await evaluator.stop();
  }
});

test('cold start: a member that never reported holds the decision (quorumDeferred), no executor call', async () => {
  const { live, executor, evaluator, logger, set } = setup();
  set('UPS1@localhost', critical());
  set('UPS2@localhost', { ...online(), lastUpdateWallMs: 0 });
  evaluator.start();
  try {
    await waitFor(
      () =>
        logger.has(
          /deferring quorum decision: member\(s\) UPS2@localhost have not published a first snapshot yet/,
        ),
      5000,
      'deferral log',
    );
    const row = live.redundancyGroups()[0];
    assert.equal(row?.quorumDeferred, true);
    assert.equal(row?.quorumLost, false);
    assert.deepEqual(
      row?.members.map((m) => m.health),
      ['critical', 'unknown'],
    );
    assert.deepEqual(executor.calls, []);
  } finally {
    await evaluator.stop();
  }
});

test('a member without a monitor counts unknown (critical) at once', async () => {
  const { live, executor, evaluator, set } = setup({ register: ['UPS1@localhost'] });
  set('UPS1@localhost', critical());
  evaluator.start();
  try {
    await waitFor(() => executor.calls.includes('done'), 5000, 'fires without the missing member');
    assert.deepEqual(
      live.redundancyGroups()[0]?.members.map((m) => [m.health, m.effectiveHealth]),
      [
        ['critical', 'critical'],
        ['unknown', 'critical'],
      ],
    );
  } finally {
    await evaluator.stop();
  }
});

test('nothing is acted on during the startup grace, but rows are published', async () => {
  const { live, executor, evaluator, logger, set } = setup({ startupGraceSec: 1 });
  set('UPS1@localhost', critical());
  set('UPS2@localhost', critical());
  evaluator.start();
  try {
    assert.equal(live.redundancyGroups()[0]?.healthyCount, 0, 'row published at start');
    assert.ok(
      logger.has(
        "Redundancy group 'rack' evaluator started (2 sources, min_healthy=1, startup_grace=1s)",
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(executor.calls, []);
    await waitFor(() => executor.calls.includes('done'), 5000, 'fires after the startup grace');
  } finally {
    await evaluator.stop();
  }
});

test('a recovery during a running shutdown re-arms only after it ends; stop clears idle flags', async () => {
  const executor = new FakeExecutor(true, 300);
  const { evaluator, set } = setup({ executor });
  set('UPS1@localhost', critical());
  set('UPS2@localhost', critical());
  evaluator.start();
  try {
    await waitFor(() => executor.calls.length === 1, 5000, 'executor started');
    set('UPS1@localhost', online());
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(executor.calls, ['execute redundancy quorum lost: healthy=0 < min_healthy=1']);
    await waitFor(() => executor.calls.includes('rearm'), 5000, 'deferred re-arm');
    assert.deepEqual(executor.calls.slice(1, 3), ['done', 'rearm']);
    await evaluator.idle();
  } finally {
    await evaluator.stop();
  }
  assert.equal(executor.calls.at(-1), 'rearm', 'graceful stop clears the flag');
});

test('specs from the example redundancy config: policy, member timing and startup grace', async () => {
  const { loadConfigFile } = await import('../../src/config/index.js');
  const { buildRedundancySpecs } = await import('../../src/monitor/redundancy-setup.js');
  const loaded = loadConfigFile('test/fixtures/eneru-configs/config-redundancy.yaml');
  const executor = new FakeExecutor();
  const specs = buildRedundancySpecs(loaded.config, {
    triggerPolicy: (t) =>
      defaultTriggerPolicy({
        lowBatteryPct: t.low_battery_threshold,
        criticalRuntimeSec: t.critical_runtime_threshold,
      }),
    executorFor: () => executor,
  });
  assert.equal(specs.length, 1);
  const spec = specs[0];
  assert.deepEqual(
    { ...spec?.policy, triggers: undefined },
    {
      name: 'rack-1-dual-psu',
      upsSources: ['UPS-A@10.0.0.10', 'UPS-B@10.0.0.11'],
      minHealthy: 1,
      degradedCountsAs: 'healthy',
      unknownCountsAs: 'critical',
      isLocal: false,
      triggers: undefined,
      startupGraceSec: 10,
    },
  );
  assert.equal(spec?.policy.triggers.lowBatteryPct, 20);
  assert.deepEqual(spec?.members[0], {
    name: 'UPS-A@10.0.0.10',
    timing: { checkIntervalSec: 1, staleTolerance: 3, grace: { enabled: true, durationSec: 60 } },
  });
  assert.equal(spec?.executor, executor);
});
