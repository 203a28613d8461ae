/**
 * Benchmark target: the real HTTP server (HttpServer + MetricsRegistry) over a live state store
 * holding N polled UPSes, in its own process so the load generator does not share its event
 * loop. Prints `PORT <n>` once listening; stops on SIGTERM.
 */
import { parseConfig } from '../src/config/index.js';
import { HttpServer } from '../src/http/server.js';
import type { Logger } from '../src/logging/types.js';
import { MetricsRegistry } from '../src/metrics/metrics-registry.js';
import { LiveStateStore } from '../src/monitor/live-state.js';
import { computeReadiness } from '../src/monitor/readiness.js';

const count = Number(process.argv[2] ?? '1');
const live = new LiveStateStore();
for (let i = 0; i < count; i += 1) {
  const name = `UPS${i}@10.0.0.${i % 250}:3493`;
  live.register(
    {
      name,
      label: `Rack ${i}`,
      displayName: `Rack ${i}`,
      groupId: name.replace(/[@:/]/g, '-'),
      isLocal: i === 0,
    },
    {
      status: 'OL CHRG',
      vars: {
        'ups.status': 'OL CHRG',
        'battery.charge': '100',
        'battery.runtime': '1800',
        'ups.load': '25',
        'input.voltage': '230.5',
        'output.voltage': '230.0',
        'battery.voltage': '54.0',
        'ups.temperature': '35',
        'input.frequency': '50.0',
        'output.frequency': '50.0',
      },
      depletionRatePctPerMin: 0,
      timeOnBatterySec: 0,
      lastUpdateWallMs: Date.now(),
      connectionState: 'OK',
      triggerActive: false,
      triggerReason: '',
      staleDataCount: 0,
      nominalVoltage: 230,
      warningLow: 207,
      warningHigh: 253,
      voltageState: 'NORMAL',
      avrState: 'INACTIVE',
      bypassState: 'INACTIVE',
      overloadState: 'INACTIVE',
    },
  );
}
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => process.stderr.write(`${message}\n`),
  error: (message) => process.stderr.write(`${message}\n`),
  child: () => quiet,
};
const metrics = new MetricsRegistry({ live, version: 'bench' });
metrics.start();
const server = new HttpServer(
  {
    config: parseConfig({ api: { enabled: true } }).config,
    live,
    stats: { readerFor: () => null },
    version: 'bench',
    runtime: { context: 'bare process', container: false },
    logger: quiet,
    metrics,
    readiness: () =>
      computeReadiness({
        monitors: live.list(),
        groups: [],
        upsGroupCount: count,
        localShutdown: { enabled: false, command: 'true', triggerOn: 'any' },
        runtime: {
          context: 'bare process',
          container: false,
          loopbackDelegate: { configured: false },
        },
        remoteHealthFor: () => [],
        hasBinary: () => true,
      }),
  },
  { bind: '127.0.0.1', port: 0 },
);
const bound = await server.start();
if (!bound) process.exit(1);
process.stdout.write(`PORT ${bound.port}\n`);
process.once('SIGTERM', () => {
  void server.stop().then(() => {
    metrics.stop();
    process.exit(0);
  });
});
