// Connection life cycle against the simulator: reconnect backoff (fail fast inside the window,
// exponential growth, reset after success), authenticated control commands, STARTTLS in its
// three modes with a throwaway CA, and the per-endpoint client pool.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { NutClient, NutClientPool, NutError, type NutClientOptions } from '../../src/nut/index.js';
import { NutSimServer } from '../../src/demo/index.js';
import {
  loadScenario,
  makeTlsMaterial,
  startSim,
  waitFor,
  type RunningSim,
  type TlsMaterial,
} from '../support/nut-sim.js';

function isNutError(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof NutError, `expected NutError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

describe('reconnect backoff', () => {
  const toStop: Array<{ stop(): Promise<void> }> = [];
  after(async () => {
    for (const s of toStop) await s.stop();
  });

  it('fails fast inside the window, doubles it, and resets after a success', async () => {
    const first = await startSim({ TestUPS: 'online-charging' });
    const port = first.port;
    await first.stop();
    const logs: string[] = [];
    const c = new NutClient({
      host: '127.0.0.1',
      port,
      tls: 'off',
      requestTimeoutMs: 2000,
      reconnectInitialMs: 400,
      reconnectMaxMs: 1600,
      onLog: (level, message) => logs.push(`${level} ${message}`),
    });
    toStop.push({ stop: () => c.close() });

    await assert.rejects(
      c.listVars('TestUPS'),
      isNutError('CONNECTION', /cannot connect to upsd at 127\.0\.0\.1:\d+: .*ECONNREFUSED/),
    );
    const t0 = Date.now();
    await assert.rejects(
      c.listVars('TestUPS'),
      isNutError('CONNECTION', /unreachable .*ECONNREFUSED.*next attempt in 0\.[1-4] s/),
    );
    assert.ok(Date.now() - t0 < 100, 'inside the window the request fails without waiting');
    assert.ok(
      logs.some((l) => /^warn .*retrying in 0\.4 s/.test(l)),
      logs.join('\n'),
    );

    await waitFor(
      async () => {
        const err = await c.listVars('TestUPS').then(
          () => null,
          (e: unknown) => e,
        );
        return err instanceof NutError && /^cannot connect/.test(err.message);
      },
      3000,
      'a second real attempt',
    );
    assert.ok(
      logs.some((l) => /retrying in 0\.8 s/.test(l)),
      logs.join('\n'),
    );

    const revived = new NutSimServer({ port });
    revived.setVars('TestUPS', loadScenario('on-battery'));
    await revived.start();
    toStop.push(revived);
    let vars: Record<string, string> | null = null;
    await waitFor(
      async () => {
        vars = await c.listVars('TestUPS').catch(() => null);
        return vars !== null;
      },
      5000,
      'reconnect after the server came back',
    );
    assert.equal(vars?.['ups.status'], 'OB DISCHRG');
    assert.ok(logs.some((l) => /^info reconnected to upsd/.test(l)));

    await revived.stop();
    await waitFor(() => !c.connected, 3000, 'client to notice the server went away');
    logs.length = 0;
    await assert.rejects(c.listVars('TestUPS'), isNutError('CONNECTION'));
    assert.ok(
      logs.some((l) => /retrying in 0\.4 s/.test(l)),
      `backoff restarts at the initial delay: ${logs.join('\n')}`,
    );
  });

  it('a server that accepts but never answers: connect-phase requests time out too', async () => {
    const sim = new NutSimServer();
    sim.setVars('TestUPS', loadScenario('online-charging'));
    sim.faults.silentUps.add('TestUPS');
    await sim.start();
    toStop.push(sim);
    const c = new NutClient({ ...sim.address(), tls: 'off', requestTimeoutMs: 200 });
    toStop.push({ stop: () => c.close() });
    await assert.rejects(c.listVars('TestUPS'), isNutError('TIMEOUT'));
    assert.equal(c.connected, false);
  });
});

describe('control commands and credentials', () => {
  let running: RunningSim;
  const clients: NutClient[] = [];
  const client = (extra: Partial<NutClientOptions>): NutClient => {
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
    running = await startSim({ TestUPS: 'online-charging' }, { users: { admin: 'test pass "x"' } });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await running.stop();
  });

  it('INSTCMD and SET VAR run with USERNAME/PASSWORD on the connection, values quoted', async () => {
    const c = client({ username: 'admin', password: 'test pass "x"' });
    assert.deepEqual(await c.listCommands('TestUPS'), [
      'beeper.disable',
      'beeper.enable',
      'test.battery.start.quick',
      'test.battery.stop',
    ]);
    await c.instCmd('TestUPS', 'test.battery.start.quick');
    await c.setVar('TestUPS', 'device.model', 'My "lab" UPS \\ 2');
    assert.equal(await c.getVar('TestUPS', 'device.model'), 'My "lab" UPS \\ 2');
    assert.deepEqual(running.sim.controlLog.slice(-2), [
      'INSTCMD TestUPS test.battery.start.quick',
      'SET VAR TestUPS device.model My "lab" UPS \\ 2',
    ]);
    await assert.rejects(c.instCmd('TestUPS', 'load.off'), isNutError('CMD-NOT-SUPPORTED'));
    await assert.rejects(c.setVar('TestUPS', 'no.such', '1'), isNutError('VAR-NOT-SUPPORTED'));
  });

  it('wrong password is ACCESS-DENIED; missing credentials fail locally', async () => {
    await assert.rejects(
      client({ username: 'admin', password: 'nope' }).instCmd('TestUPS', 'beeper.enable'),
      isNutError('ACCESS-DENIED'),
    );
    await assert.rejects(
      client({}).instCmd('TestUPS', 'beeper.enable'),
      isNutError('USERNAME-REQUIRED', /needs nut username and password/),
    );
  });
});

describe('STARTTLS', () => {
  let material: TlsMaterial;
  let secure: RunningSim;
  let plain: RunningSim;
  const clients: NutClient[] = [];
  const client = (target: RunningSim, extra: Partial<NutClientOptions>): NutClient => {
    const c = new NutClient({
      host: target.host,
      port: target.port,
      tls: 'off',
      requestTimeoutMs: 3000,
      ...extra,
    });
    clients.push(c);
    return c;
  };
  before(async () => {
    material = makeTlsMaterial();
    secure = await startSim(
      { TestUPS: 'online-charging' },
      { tls: { key: material.key, cert: material.cert }, users: { admin: 'pw' } },
    );
    plain = await startSim({ TestUPS: 'online-charging' });
  });
  after(async () => {
    try {
      await Promise.all(clients.map((c) => c.close()));
      await secure?.stop();
      await plain?.stop();
    } finally {
      material?.cleanup();
    }
  });

  it('required + CA file: TLS before credentials, then normal requests', async () => {
    const c = client(secure, {
      tls: 'required',
      caFile: material.caFile,
      username: 'admin',
      password: 'pw',
    });
    assert.equal((await c.listVars('TestUPS'))['ups.status'], 'OL CHRG');
    await c.instCmd('TestUPS', 'beeper.enable');
  });

  it('a pinned certificate fingerprint replaces CA verification; a wrong pin fails with TLS', async () => {
    const fingerprint = new X509Certificate(material.cert).fingerprint256;
    const pinned = client(secure, { tls: 'required', certFingerprint: fingerprint });
    assert.equal((await pinned.listVars('TestUPS'))['ups.status'], 'OL CHRG');
    const spelled = client(secure, {
      tls: 'required',
      certFingerprint: fingerprint.toLowerCase().replace(/:/g, ''),
    });
    assert.equal((await spelled.listVars('TestUPS'))['ups.status'], 'OL CHRG');
    const wrong = client(secure, { tls: 'required', certFingerprint: 'AB'.repeat(32) });
    await assert.rejects(wrong.listVars('TestUPS'), isNutError('TLS', /is not the pinned ABAB/));
  });

  it('opportunistic falls back to plaintext when upsd answers FEATURE-NOT-CONFIGURED', async () => {
    const logs: string[] = [];
    const c = client(plain, { tls: 'opportunistic', onLog: (_l, m) => logs.push(m) });
    assert.equal((await c.listVars('TestUPS'))['ups.status'], 'OL CHRG');
    assert.ok(logs.some((m) => /does not offer TLS \(FEATURE-NOT-CONFIGURED\)/.test(m)));
  });

  it('opportunistic uses TLS when offered', async () => {
    const c = client(secure, { tls: 'opportunistic', caFile: material.caFile });
    assert.equal((await c.listVars('TestUPS'))['ups.status'], 'OL CHRG');
  });

  it('required fails with TLS when upsd has no TLS, or the certificate does not verify', async () => {
    await assert.rejects(
      client(plain, { tls: 'required' }).listVars('TestUPS'),
      isNutError('TLS', /required.*FEATURE-NOT-CONFIGURED/),
    );
    await assert.rejects(
      client(secure, { tls: 'required', caFile: material.otherCaFile }).listVars('TestUPS'),
      isNutError('TLS', /TLS handshake with upsd at 127\.0\.0\.1:\d+ failed/),
    );
    await assert.rejects(
      client(secure, { tls: 'required' }).listVars('TestUPS'),
      isNutError('TLS'),
    );
    await assert.rejects(
      client(secure, { tls: 'required', caFile: '/nonexistent/ca.pem' }).listVars('TestUPS'),
      isNutError('TLS', /cannot read nut\.ca_file '\/nonexistent\/ca\.pem'/),
    );
  });
});

describe('NutClientPool', () => {
  it('shares one client per endpoint and identity; closeAll closes them', async () => {
    const running = await startSim({ TestUPS: 'online-charging', UPS1: 'on-battery' });
    const pool = new NutClientPool();
    try {
      const base = {
        host: running.host,
        port: running.port,
        tls: 'off' as const,
        requestTimeoutMs: 3000,
      };
      const a = pool.client(base);
      const b = pool.client({ ...base });
      const control = pool.client({ ...base, username: 'admin', password: 'pw' });
      assert.equal(a, b);
      assert.notEqual(a, control);
      assert.equal(pool.size, 2);
      await Promise.all([a.listVars('TestUPS'), b.listVars('UPS1')]);
      assert.equal(running.sim.connectionCount, 1);
      await pool.closeAll();
      assert.equal(pool.size, 0);
      await assert.rejects(a.listVars('TestUPS'), isNutError('CONNECTION', /closed/));
    } finally {
      await pool.closeAll();
      await running.stop();
    }
  });
});
