/**
 * `GET /api/v1/ups/{name}/shutdown-plan` over the app: the original's shape for a non-local
 * group without servers, phases in order with remote servers grouped by shutdown order, and no
 * command text ever in the answer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp } from '../support/http-app.js';
import { identity, neverPolled } from '../support/http-fixtures.js';
import { LiveStateStore } from '../../src/monitor/live-state.js';

const SECRET_COMMAND = 'secret-poweroff --token=abc123';

function liveFor(name: string): LiveStateStore {
  const live = new LiveStateStore();
  live.register(identity(name), neverPolled());
  return live;
}

describe('GET /api/v1/ups/{name}/shutdown-plan', () => {
  test('a non-local group without servers matches the original answer', async () => {
    const name = 'TestUPS@127.0.0.1:3493';
    const app = testApp({
      raw: { ups: [{ name, is_local: false }], behavior: { dry_run: true } },
      live: liveFor(name),
    });
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/ups/${encodeURIComponent(name)}/shutdown-plan`,
    });
    assert.equal(response.statusCode, 200);
    const body = response.json() as {
      plan: { phases: { id: string; skipped: string | null }[]; dryRun: boolean; isLocal: boolean };
      ups: string;
    };
    assert.equal(body.ups, name);
    assert.equal(body.plan.dryRun, true);
    assert.equal(body.plan.isLocal, false);
    assert.deepEqual(
      body.plan.phases.map((p) => p.id),
      [
        'vms',
        'containers',
        'filesystem-sync',
        'filesystem-unmount',
        'remote',
        'final-sync',
        'local-poweroff',
      ],
    );
    assert.equal(body.plan.phases.find((p) => p.id === 'vms')?.skipped, 'non-local group');
  });

  test('remote servers appear by order and commands are redacted', async () => {
    const name = 'UPS@localhost';
    const app = testApp({
      raw: {
        ups: { name },
        remote_servers: [
          {
            name: 'nas',
            enabled: true,
            host: '127.0.0.1',
            user: 'root',
            shutdown_order: 2,
            shutdown_command: SECRET_COMMAND,
          },
          {
            name: 'hypervisor',
            enabled: true,
            host: '127.0.0.2',
            user: 'root',
            shutdown_order: 1,
            pre_shutdown_commands: [
              { action: 'stop_proxmox_vms', timeout: 120 },
              { command: SECRET_COMMAND },
            ],
          },
        ],
      },
      live: liveFor(name),
    });
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/ups/UPS-localhost/shutdown-plan',
    });
    assert.equal(response.statusCode, 200);
    assert.ok(!response.body.includes('secret-poweroff'), 'no command text in the plan');
    assert.ok(!response.body.includes('abc123'));
    const remote = (
      response.json() as {
        plan: {
          phases: {
            id: string;
            steps: { title: string; order: number | null; actions: string[] }[];
          }[];
        };
      }
    ).plan.phases.find((p) => p.id === 'remote');
    assert.ok(remote);
    const orders = remote.steps.map((step) => step.order);
    assert.deepEqual([...orders].sort(), orders, 'steps ascend by shutdown order');
    assert.ok(remote.steps.some((step) => step.actions.includes('stop_proxmox_vms')));
  });

  test('an unknown UPS is a 404 and the index lists the endpoint', async () => {
    const app = testApp({
      raw: { ups: { name: 'UPS@localhost' } },
      live: liveFor('UPS@localhost'),
    });
    const missing = await app.inject({ method: 'GET', url: '/api/v1/ups/nope/shutdown-plan' });
    assert.equal(missing.statusCode, 404);
    const index = await app.inject({ method: 'GET', url: '/api/v1' });
    const paths = (index.json() as { endpoints: { path: string }[] }).endpoints.map((e) => e.path);
    assert.ok(paths.includes('/api/v1/ups/{name}/shutdown-plan'));
    assert.ok(
      paths.indexOf('/api/v1/ups/{name}/power') < paths.indexOf('/api/v1/ups/{name}/shutdown-plan'),
    );
  });
});
