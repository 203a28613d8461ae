// NutClient against a REAL upsd with dummy-ups drivers (test/support/upsd.ts): every variable of
// TestUPS, DATA-STALE from a stopped driver, DRIVER-NOT-CONNECTED from a killed one, upsd
// restarted mid-run, a wrong UPS name, scenario switches, and authenticated control commands.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NutClient, NutError, readPoll, type NutClientOptions } from '../../src/nut/index.js';
import { loadScenario, waitFor } from '../support/nut-sim.js';
import { servedVars, startUpsd, upsc, type UpsdHarness } from '../support/upsd.js';

const MAX_AGE_SEC = 3;

describe('NutClient against real upsd + dummy-ups', { timeout: 120_000 }, () => {
  let upsd: UpsdHarness;
  const clients: NutClient[] = [];
  const client = (extra: Partial<NutClientOptions> = {}): NutClient => {
    const c = new NutClient({
      host: upsd.host,
      port: upsd.port,
      tls: 'off',
      requestTimeoutMs: 5000,
      reconnectInitialMs: 200,
      reconnectMaxMs: 1000,
      ...extra,
    });
    clients.push(c);
    return c;
  };
  /** Polls until the read fails with `code` (or succeeds when code is null). */
  const waitForOutcome = async (
    c: NutClient,
    ups: string,
    code: string,
    timeoutMs: number,
  ): Promise<NutError> => {
    let seen: unknown = null;
    await waitFor(
      async () => {
        seen = await c.listVars(ups).then(
          () => null,
          (err: unknown) => err,
        );
        return seen instanceof NutError && seen.code === code;
      },
      timeoutMs,
      `LIST VAR ${ups} to fail with ${code}`,
    );
    return seen as unknown as NutError;
  };

  before(async () => {
    upsd = await startUpsd({
      upses: { TestUPS: 'online-charging', UPS1: 'on-battery', UPS2: 'online-charging' },
      maxAgeSec: MAX_AGE_SEC,
    });
  });
  after(
    async () => {
      await Promise.all(clients.map((c) => c.close()));
      await upsd?.stop();
    },
    { timeout: 30_000 },
  );

  it('reads every variable of TestUPS, the same as upsc', async () => {
    const c = client();
    const vars = await c.listVars('TestUPS');
    const fixture = servedVars(loadScenario('online-charging'));
    for (const [name, value] of Object.entries(fixture)) assert.equal(vars[name], value, name);
    const viaUpsc = Object.fromEntries(
      (await upsc([`TestUPS@${upsd.host}:${upsd.port}`]))
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    assert.deepEqual(Object.keys(vars).sort(), Object.keys(viaUpsc).sort());
    assert.equal(vars['driver.name'], 'dummy-ups');
    assert.equal(await c.getVar('TestUPS', 'battery.charge'), '100');
    assert.deepEqual(Object.keys(await c.listUps()).sort(), ['TestUPS', 'UPS1', 'UPS2']);
    assert.equal((await readPoll(c, 'UPS1')).kind, 'ok');
  });

  it('a wrong UPS name: UNKNOWN-UPS listing the names upsd serves', async () => {
    await assert.rejects(client().listVars('Nope'), (err: unknown) => {
      assert.ok(err instanceof NutError);
      assert.equal(err.code, 'UNKNOWN-UPS');
      assert.equal(
        err.message,
        `UPS 'Nope' is not served by 127.0.0.1:${upsd.port} (available: TestUPS, UPS1, UPS2)`,
      );
      return true;
    });
  });

  it('STARTTLS on an upsd without TLS: opportunistic falls back to plaintext, required fails with TLS', async () => {
    const logs: string[] = [];
    const opportunistic = client({
      tls: 'opportunistic',
      ...upsd.users.monitor,
      onLog: (_level, message) => logs.push(message),
    });
    assert.equal((await opportunistic.listVars('TestUPS'))['ups.status'], 'OL CHRG');
    assert.ok(
      logs.some((m) => /does not offer TLS \(FEATURE-NOT-CONFIGURED\)/.test(m)),
      logs.join('\n'),
    );
    const required = client({ tls: 'required' });
    const outcome = await readPoll(required, 'TestUPS');
    assert.equal(outcome.kind, 'error');
    assert.equal(outcome.kind === 'error' ? outcome.error.code : '', 'TLS');
    assert.match(outcome.kind === 'error' ? outcome.message : '', /check nut\.tls/);
  });

  it('observes a scenario switch', async () => {
    const c = client();
    await upsd.switchScenario('UPS2', 'low-battery');
    const vars = await c.listVars('UPS2');
    assert.equal(vars['ups.status'], 'OB DISCHRG LB');
    assert.equal(vars['battery.charge'], '14');
    await upsd.switchScenario('UPS2', {
      ...loadScenario('online-charging'),
      'ups.id': 'Rack 4 / left, A-feed',
    });
    const back = await c.listVars('UPS2');
    assert.equal(back['ups.status'], 'OL CHRG');
    assert.equal(back['ups.id'], 'Rack 4 / left, A-feed');
  });

  // Runs before the upsd restarts below: dummy-ups 2.8.0 crashes ("bit out of range 0 -
  // FD_SETSIZE") when it handles SET VAR after upsd reconnected to it.
  it('SET VAR / INSTCMD with the admin credentials; other users and bad passwords are refused', async () => {
    const code = (expected: string) => (err: unknown) => {
      assert.ok(err instanceof NutError);
      assert.equal(err.code, expected, err.message);
      return true;
    };
    const admin = client({ ...upsd.users.admin });
    // Right after an upsd (re)start the command list can still be empty: wait for it.
    await waitFor(
      async () => (await admin.listCommands('TestUPS')).includes('load.off'),
      10_000,
      'upsd to list the dummy-ups commands',
    );
    await admin.setVar('TestUPS', 'ups.load', '42');
    await waitFor(
      async () => (await admin.getVar('TestUPS', 'ups.load')) === '42',
      10_000,
      'ups.load set to 42',
    );
    await admin.setVar('TestUPS', 'ups.load', '25');
    await assert.rejects(admin.instCmd('TestUPS', 'no.such.command'), code('CMD-NOT-SUPPORTED'));
    await assert.rejects(admin.setVar('TestUPS', 'no.such.var', '1'), code('VAR-NOT-SUPPORTED'));
    await assert.rejects(admin.listCommands('Nope'), code('UNKNOWN-UPS'));
    const wrong = client({ username: 'admin', password: 'wrong' });
    await assert.rejects(wrong.setVar('TestUPS', 'ups.load', '5'), code('ACCESS-DENIED'));
    const monitor = client({ ...upsd.users.monitor });
    await assert.rejects(monitor.setVar('TestUPS', 'ups.load', '5'), code('ACCESS-DENIED'));
    await assert.rejects(client().setVar('TestUPS', 'ups.load', '5'), code('USERNAME-REQUIRED'));
  });

  it('ERR DATA-STALE once a stopped driver is older than MAXAGE, classified stale; recovers on SIGCONT', async () => {
    const c = client();
    upsd.stopDriver('UPS1');
    try {
      const err = await waitForOutcome(c, 'UPS1', 'DATA-STALE', (MAX_AGE_SEC + 10) * 1000);
      assert.equal(err.fromServer, true);
      const outcome = await readPoll(c, 'UPS1');
      assert.equal(outcome.kind, 'stale');
      assert.equal(outcome.kind === 'stale' ? outcome.message : '', 'Data stale');
      assert.equal(
        (await c.listVars('TestUPS'))['ups.status'],
        'OL CHRG',
        'other UPSes unaffected',
      );
    } finally {
      upsd.contDriver('UPS1');
    }
    await waitFor(
      async () => (await readPoll(c, 'UPS1')).kind === 'ok',
      15_000,
      'UPS1 fresh again',
    );
  });

  it('DRIVER-NOT-CONNECTED when the driver is killed, a hard error; back when it restarts', async () => {
    const c = client();
    await upsd.killDriver('UPS1');
    await waitForOutcome(c, 'UPS1', 'DRIVER-NOT-CONNECTED', 15_000);
    const outcome = await readPoll(c, 'UPS1');
    assert.equal(outcome.kind, 'error');
    assert.match(outcome.kind === 'error' ? outcome.message : '', /DRIVER-NOT-CONNECTED/);
    await upsd.startDriver('UPS1');
    await waitFor(
      async () => (await readPoll(c, 'UPS1')).kind === 'ok',
      20_000,
      'UPS1 served again',
    );
  });

  it('upsd restarted mid-run: requests fail as CONNECTION, never hang, and the client reconnects', async () => {
    const logs: string[] = [];
    const c = client({ onLog: (level, message) => logs.push(`${level} ${message}`) });
    assert.equal((await c.listVars('TestUPS'))['ups.status'], 'OL CHRG');
    await upsd.stopUpsd();
    await waitFor(() => !c.connected, 5000, 'client to notice upsd went away');
    const down = await readPoll(c, 'TestUPS');
    assert.equal(down.kind, 'error');
    assert.equal(down.kind === 'error' ? down.error.code : '', 'CONNECTION');
    await upsd.startUpsdAgain();
    await waitFor(
      async () => (await readPoll(c, 'TestUPS')).kind === 'ok',
      20_000,
      'polls to succeed after restart',
    );
    assert.ok(
      logs.some((l) => l.startsWith('info reconnected to upsd')),
      logs.join('\n'),
    );

    const busy = client();
    await busy.listVars('TestUPS');
    const polling = (async () => {
      const kinds: string[] = [];
      for (let i = 0; i < 40; i += 1) kinds.push((await readPoll(busy, 'TestUPS')).kind);
      return kinds;
    })();
    await upsd.restartUpsd();
    const kinds = await polling;
    assert.ok(
      kinds.every((k) => k === 'ok' || k === 'error'),
      kinds.join(','),
    );
    await waitFor(
      async () => (await readPoll(busy, 'TestUPS')).kind === 'ok',
      20_000,
      'polls to succeed after restart',
    );
  });
});
