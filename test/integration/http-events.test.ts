import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import { identity, polled } from '../support/http-fixtures.js';
import { StatsDir, getJson, testApp } from '../support/http-app.js';

type EventJson = {
  detail: string;
  eventType: string;
  id: number;
  label: string;
  source: string;
  ts: number;
  ups: string;
};

describe('GET /api/v1/events across several real SQLite databases', () => {
  const stats = new StatsDir();
  let app: FastifyInstance;

  before(async () => {
    // Total order (ts, source, id): A(1000,a) B(2000,a) C(2000,b) D(2000,c) E(3000,c)
    stats.addEvents('a-ups', [
      { ts: 1000, type: 'ON_BATTERY', detail: 'A' },
      { ts: 2000, type: 'POWER_RESTORED', detail: 'B' },
    ]);
    stats.addEvents('b-ups', [{ ts: 2000, type: 'ON_BATTERY', detail: 'C' }]);
    stats.addEvents('c-ups', [
      { ts: 2000, type: 'ON_BATTERY', detail: 'D' },
      { ts: 3000, type: 'POWER_RESTORED', detail: 'E' },
    ]);
    const live = new LiveStateStore();
    // Configuration order differs from source order on purpose; "missing" has no database.
    live.register(identity('c@ups', 'Rack C'), polled());
    live.register(identity('missing@ups'), polled());
    live.register(identity('a@ups', 'Rack A'), polled());
    live.register(identity('b@ups'), polled());
    app = testApp({ live, stats, nowMs: () => 10_000_000 });
    await app.ready();
  });
  after(async () => {
    await app.close();
    stats.cleanup();
  });

  async function details(query: string): Promise<string[]> {
    const response = await getJson(app, `/api/v1/events${query}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (response.body.events as EventJson[]).map((e) => e.detail);
  }

  it('returns every row oldest first with the original field set', async () => {
    const response = await getJson(app, '/api/v1/events');
    const events = response.body.events as EventJson[];
    assert.deepEqual(
      events.map((e) => e.detail),
      ['A', 'B', 'C', 'D', 'E'],
    );
    assert.deepEqual(events[0], {
      detail: 'A',
      eventType: 'ON_BATTERY',
      id: 1,
      label: 'Rack A',
      source: 'a-ups',
      ts: 1000,
      ups: 'a@ups',
    });
    assert.equal(typeof response.body.generatedAt, 'number');
  });

  it('pins the paging vectors', async () => {
    assert.deepEqual(await details('?from=2000'), ['B', 'C', 'D', 'E']);
    assert.deepEqual(await details('?limit=2'), ['D', 'E']);
    assert.deepEqual(await details('?before=2000&limit=2'), ['C', 'D']);
    assert.deepEqual(await details('?before=2000&beforeSource=c-ups&beforeId=1&limit=2'), [
      'B',
      'C',
    ]);
    assert.deepEqual(await details('?before=2000&beforeSource=b-ups&beforeId=1&limit=10'), [
      'A',
      'B',
    ]);
    assert.deepEqual(await details('?to=2000&from=1500'), ['B', 'C', 'D']);
    // `before` wins over `to`.
    assert.deepEqual(await details('?to=1000&before=3000'), ['A', 'B', 'C', 'D', 'E']);
  });

  it('treats empty values as absent and the first repeated value as the one', async () => {
    assert.deepEqual(await details('?limit=&from='), ['A', 'B', 'C', 'D', 'E']);
    assert.deepEqual(await details('?limit=1&limit=5'), ['E']);
  });

  const rejects: Array<[string, string]> = [
    ['?limit=bad', 'limit must be an integer'],
    ['?limit=0', 'limit must be >= 1'],
    ['?limit=10001', 'limit must be <= 10000'],
    ['?verbosity=9', 'verbosity must be <= 2'],
    ['?verbosity=-1', 'verbosity must be >= 0'],
    ['?verbosity=1.5', 'verbosity must be an integer'],
    ['?from=x', 'from must be an integer'],
    ['?to=2.5', 'to must be an integer'],
    ['?from=3000&to=2000', "'from' must be <= 'to'"],
    ['?before=not-a-cursor', 'before must be an integer'],
    [
      '?before=2000&beforeSource=default',
      "'beforeSource' and 'beforeId' must be supplied together",
    ],
    ['?before=2000&beforeId=3', "'beforeSource' and 'beforeId' must be supplied together"],
    ['?beforeSource=a&beforeId=1', "'before' is required with cursor details"],
    ['?before=2000&beforeSource=a&beforeId=0', 'beforeId must be >= 1'],
    ['?before=2000&beforeSource=a&beforeId=x', 'beforeId must be an integer'],
  ];
  for (const [query, message] of rejects) {
    it(`400 for ${query}`, async () => {
      const response = await getJson(app, `/api/v1/events${query}`);
      assert.equal(response.status, 400);
      assert.deepEqual(response.body, { error: { code: 'INVALID_REQUEST', message } });
    });
  }
});

describe('GET /api/v1/events verbosity classes', () => {
  const stats = new StatsDir();
  let app: FastifyInstance;
  before(async () => {
    stats.addEvents('default', [
      { ts: 100, type: 'SERVICE_STARTED' },
      { ts: 101, type: 'ON_BATTERY' },
      { ts: 102, type: 'REMOTE_HEALTH_FAILED' },
      { ts: 103, type: 'SLOW_NUT_RESPONSE' },
      { ts: 104, type: 'REMOTE_SSH_SLOW_RESPONSE' },
      { ts: 105, type: 'DAEMON_START' },
    ]);
    const live = new LiveStateStore();
    live.register({ ...identity('UPS@localhost'), groupId: 'default' }, polled());
    app = testApp({ live, stats });
    await app.ready();
  });
  after(async () => {
    await app.close();
    stats.cleanup();
  });

  async function types(query: string): Promise<string[]> {
    const response = await getJson(app, `/api/v1/events${query}`);
    return (response.body.events as EventJson[]).map((e) => e.eventType);
  }

  it('0 = power set, 1 = all but lifecycle, 2 (default) = everything ascending', async () => {
    assert.deepEqual(await types('?verbosity=0'), ['ON_BATTERY']);
    assert.deepEqual(await types('?verbosity=1'), [
      'ON_BATTERY',
      'REMOTE_HEALTH_FAILED',
      'SLOW_NUT_RESPONSE',
      'REMOTE_SSH_SLOW_RESPONSE',
    ]);
    assert.deepEqual(await types('?verbosity=2'), [
      'SERVICE_STARTED',
      'ON_BATTERY',
      'REMOTE_HEALTH_FAILED',
      'SLOW_NUT_RESPONSE',
      'REMOTE_SSH_SLOW_RESPONSE',
      'DAEMON_START',
    ]);
    assert.deepEqual(await types(''), await types('?verbosity=2'));
  });

  it('limit applies after the verbosity filter', async () => {
    assert.deepEqual(await types('?verbosity=1&limit=1'), ['REMOTE_SSH_SLOW_RESPONSE']);
  });

  it('no databases at all is an empty list, not an error', async () => {
    const empty = testApp({ stats: { readerFor: () => null } });
    const response = await getJson(empty, '/api/v1/events');
    await empty.close();
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.events, []);
  });
});
