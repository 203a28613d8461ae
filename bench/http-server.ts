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
import { identity, polled } from '../test/support/http-fixtures.js';

const count = Number(process.argv[2] ?? '1');
const live = new LiveStateStore();
for (let i = 0; i < count; i += 1) {
  // Polled just now, so readiness and staleness see a healthy fleet.
  live.register(
    identity(`UPS${i}@10.0.0.${i % 250}:3493`, `Rack ${i}`, i === 0),
    polled({}, Date.now()),
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
