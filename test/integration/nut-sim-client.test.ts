// NutClient against the embedded simulator: faults a real upsd cannot produce — replies split
// into tiny chunks, a reply that never comes, garbage lines — plus the depth-1 queue with
// concurrent callers, reconnect backoff, caller aborts and close().
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NutClient, NutError, type NutClientOptions } from '../../src/nut/index.js';
import { loadScenario, startSim, waitFor, type RunningSim } from '../support/nut-sim.js';

const TRICKY = 'say \\"hi\\" \\\\ "quoted" \\ back — ü';

function isNutError(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof NutError, `expected NutError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

describe('NutClient against the simulator', () => {
  let running: RunningSim;
  const clients: NutClient[] = [];
  const client = (extra: Partial<NutClientOptions> = {}): NutClient => {
    const c = new NutClient({
      host: running.host,
      port: running.port,
      tls: 'off',
      requestTimeoutMs: 3000,
      ...extra,
    });
    clients.push(c);
    return c;
  };

  before(async () => {
    running = await startSim({
      TestUPS: 'online-charging',
      UPS1: 'on-battery',
      UPS2: 'low-battery',
    });
    running.sim.setVars('TestUPS', { 'device.description': TRICKY });
    for (let i = 0; i < 200; i += 1)
      running.sim.setVars(`Bulk${i}`, { 'ups.status': 'OL', 'ups.load': String(i) });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await running.stop();
  });

  it('reads every variable, values with \\" and \\\\ intact', async () => {
    const vars = await client().listVars('TestUPS');
    assert.deepEqual(vars, { ...loadScenario('online-charging'), 'device.description': TRICKY });
  });

  it('reassembles replies split into 1..7-byte chunks, for many concurrent callers', async () => {
    running.sim.faults.splitReplies = true;
    try {
      const c = client();
      const names = [
        'TestUPS',
        'UPS1',
        'UPS2',
        ...Array.from({ length: 30 }, (_, i) => `Bulk${i}`),
      ];
      const results = await Promise.all(names.map((n) => c.listVars(n)));
      assert.equal(results[0]?.['device.description'], TRICKY);
      assert.equal(results[1]?.['ups.status'], 'OB DISCHRG');
      assert.equal(results[2]?.['ups.status'], 'OB DISCHRG LB');
      results.slice(3).forEach((vars, i) => assert.equal(vars['ups.load'], String(i)));
      assert.equal(await c.getVar('TestUPS', 'device.description'), TRICKY);
      assert.deepEqual(Object.keys(await c.listUps()).slice(0, 3), ['TestUPS', 'UPS1', 'UPS2']);
    } finally {
      running.sim.faults.splitReplies = false;
    }
  });

  it('round-trips 300 awkward values (quotes, backslashes, unicode, tabs) over split replies', async () => {
    const alphabet = ['a', ' ', '\t', '"', '\\', '€', '😀', '#', "'"];
    const vars: Record<string, string> = {};
    let state = 7;
    for (let i = 0; i < 300; i += 1) {
      let value = '';
      for (let j = 0; j < i % 17; j += 1) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        value += alphabet[state % alphabet.length];
      }
      vars[`fuzz.var${i}`] = value;
    }
    running.sim.replaceVars('Fuzz', vars);
    running.sim.faults.splitReplies = true;
    try {
      const c = client();
      assert.deepEqual(await c.listVars('Fuzz'), vars);
      assert.equal(await c.getVar('Fuzz', 'fuzz.var16'), vars['fuzz.var16']);
    } finally {
      running.sim.faults.splitReplies = false;
      running.sim.removeUps('Fuzz');
    }
  });

  it('keeps one request in flight: 200 concurrent callers share one connection, answers match', async () => {
    running.sim.faults.replyDelayMs = 1;
    try {
      const c = client();
      const before = running.sim.connectionCount;
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => c.getVar(`Bulk${i}`, 'ups.load')),
      );
      assert.deepEqual(
        results,
        Array.from({ length: 200 }, (_, i) => String(i)),
      );
      assert.equal(running.sim.maxInFlightPerConnection, 1);
      assert.equal(running.sim.connectionCount, before + 1);
    } finally {
      running.sim.faults.replyDelayMs = 0;
    }
  });

  it('a reply that never comes: TIMEOUT, socket destroyed, queued requests CONNECTION, next request reconnects', async () => {
    const c = client({ requestTimeoutMs: 300 });
    await c.listVars('TestUPS');
    assert.equal(c.connected, true);
    const connectionsBefore = running.sim.connectionCount;
    running.sim.faults.silentUps.add('UPS1');
    try {
      const started = Date.now();
      const silent = assert.rejects(
        c.listVars('UPS1'),
        isNutError(
          'TIMEOUT',
          /no reply from upsd at 127\.0\.0\.1:\d+ within 300 ms to LIST VAR UPS1/,
        ),
      );
      const queued = [c.listVars('TestUPS'), c.getVar('UPS2', 'ups.status')].map((q) =>
        assert.rejects(q, isNutError('CONNECTION', /abandoned/)),
      );
      await silent;
      assert.ok(Date.now() - started < 2000);
      await Promise.all(queued);
      assert.equal(c.connected, false);
      await waitFor(
        () => running.sim.connectionCount === connectionsBefore - 1,
        3000,
        'server to see the socket closed',
      );
    } finally {
      running.sim.faults.silentUps.delete('UPS1');
    }
    assert.equal((await c.listVars('UPS1'))['ups.status'], 'OB DISCHRG');
    assert.equal(c.connected, true);
  });

  it('a garbage line: PROTOCOL naming the server; the client keeps working', async () => {
    const c = client();
    running.sim.faults.garbageUps.add('UPS2');
    try {
      await assert.rejects(
        c.listVars('UPS2'),
        isNutError('PROTOCOL', /127\.0\.0\.1:\d+.*LIST VAR UPS2/),
      );
      await assert.rejects(c.getVar('UPS2', 'ups.status'), isNutError('PROTOCOL'));
    } finally {
      running.sim.faults.garbageUps.delete('UPS2');
    }
    assert.equal((await c.listVars('UPS2'))['ups.status'], 'OB DISCHRG LB');
  });

  it('stale data, driver gone and an unknown UPS map to their codes', async () => {
    const c = client();
    running.sim.faults.staleUps.add('UPS1');
    running.sim.faults.driverGone.add('UPS2');
    try {
      await assert.rejects(c.listVars('UPS1'), isNutError('DATA-STALE'));
      await assert.rejects(c.listVars('UPS2'), isNutError('DRIVER-NOT-CONNECTED'));
    } finally {
      running.sim.faults.staleUps.delete('UPS1');
      running.sim.faults.driverGone.delete('UPS2');
    }
    await assert.rejects(
      c.listVars('Nope'),
      isNutError(
        'UNKNOWN-UPS',
        /UPS 'Nope' is not served by 127\.0\.0\.1:\d+ \(available: Bulk0, Bulk1, /,
      ),
    );
    await assert.rejects(c.getVar('TestUPS', 'no.such.var'), isNutError('VAR-NOT-SUPPORTED'));
    assert.equal(c.connected, true);
  });

  it('a server that drops every connection (upsd restart): the next request reconnects', async () => {
    const c = client();
    await c.listVars('TestUPS');
    running.sim.disconnectAll();
    await waitFor(() => !c.connected, 3000, 'client to notice the close');
    assert.equal((await c.listVars('TestUPS'))['ups.status'], 'OL CHRG');
  });

  it('caller abort rejects with ABORTED and the next request still works', async () => {
    const c = client();
    running.sim.faults.silentUps.add('UPS1');
    try {
      const controller = new AbortController();
      const pending = c.listVars('UPS1', controller.signal);
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(pending, isNutError('ABORTED'));
      const already = new AbortController();
      already.abort();
      await assert.rejects(c.listVars('TestUPS', already.signal), isNutError('ABORTED'));
    } finally {
      running.sim.faults.silentUps.delete('UPS1');
    }
    assert.equal((await c.listVars('UPS1'))['ups.status'], 'OB DISCHRG');
  });

  it('a caller giving up while queued leaves the queue without touching the connection', async () => {
    const c = client();
    await c.listVars('TestUPS');
    running.sim.faults.replyDelayMs = 100;
    try {
      const connections = running.sim.connectionCount;
      const first = c.listVars('UPS1');
      const controller = new AbortController();
      const queued = c.listVars('UPS2', controller.signal);
      controller.abort();
      await assert.rejects(queued, isNutError('ABORTED', /aborted by the caller/));
      assert.equal((await first)['ups.status'], 'OB DISCHRG');
      assert.equal(c.connected, true);
      assert.equal(running.sim.connectionCount, connections);
    } finally {
      running.sim.faults.replyDelayMs = 0;
    }
  });

  it('rejects a request timeout that setTimeout cannot honour', () => {
    for (const bad of [0, -1, Number.NaN, 2 ** 31]) {
      assert.throws(
        () => new NutClient({ host: '127.0.0.1', port: 1, tls: 'off', requestTimeoutMs: bad }),
        isNutError('INVALID-ARGUMENT', /requestTimeoutMs/),
      );
    }
  });

  it('close() rejects the in-flight and queued requests and later ones; never throws', async () => {
    const c = client();
    running.sim.faults.silentUps.add('UPS1');
    try {
      const inFlight = assert.rejects(c.listVars('UPS1'), isNutError('CONNECTION', /closed/));
      const queued = assert.rejects(c.listVars('TestUPS'), isNutError('CONNECTION', /closed/));
      await waitFor(() => c.connected, 3000, 'connection');
      await c.close();
      await Promise.all([inFlight, queued]);
      await assert.rejects(c.listVars('TestUPS'), isNutError('CONNECTION', /closed/));
      await c.close();
    } finally {
      running.sim.faults.silentUps.delete('UPS1');
    }
  });
});
