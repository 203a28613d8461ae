// startDemo() end to end over the real protocol: the embedded server serves the demo UPSes on a
// free loopback port, and with short phases a NUT client watches one go through the power cut.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NutClient, parseUpsTarget } from '../../src/nut/index.js';
import { DEMO_UPSES, startDemo, type RunningDemo } from '../../src/demo/index.js';
import { waitFor } from '../support/nut-sim.js';

describe('startDemo', () => {
  let demo: RunningDemo | null = null;
  let client: NutClient | null = null;
  after(async () => {
    await client?.close();
    await demo?.stop();
  });

  it('serves the demo UPSes and moves them through online → OB → LB → restored', async () => {
    demo = await startDemo({
      phases: { onlineMs: 300, onBatteryMs: 600, lowBatteryMs: 600, restoredMs: 600 },
      staggerMs: 0,
      server: {},
    });
    assert.equal(demo.host, '127.0.0.1');
    assert.deepEqual(
      demo.targets,
      Object.keys(DEMO_UPSES).map((ups) => `${ups}@127.0.0.1:${demo?.port}`),
    );
    const target = parseUpsTarget(demo.targets[0] as string);
    client = new NutClient({
      host: target.host,
      port: target.port,
      tls: 'off',
      requestTimeoutMs: 3000,
    });
    assert.deepEqual(Object.keys(await client.listUps()).sort(), Object.keys(DEMO_UPSES).sort());

    const seen = new Set<string>();
    const c = client;
    await waitFor(
      async () => {
        seen.add((await c.listVars(target.ups))['ups.status'] ?? '');
        return ['OL', 'OB DISCHRG', 'OB DISCHRG LB', 'OL CHRG'].every((s) => seen.has(s));
      },
      20_000,
      'every phase of the power cut',
    );
  });

  it('stop() stops serving', async () => {
    assert.ok(demo);
    const { host, port } = demo;
    await demo.stop();
    demo = null;
    const late = new NutClient({ host, port, tls: 'off', requestTimeoutMs: 2000 });
    try {
      await assert.rejects(
        late.listUps(),
        (err: unknown) => (err as { code?: string }).code === 'CONNECTION',
      );
    } finally {
      await late.close();
    }
  });
});
