/**
 * The demo: an embedded NUT server (NutSimServer) with UPSes driven through a looping power cut
 * (PowerCutScenario). `startDemo()` returns the endpoint to monitor; the daemon runs against it
 * with dry-run forced, so nothing is ever shut down.
 */
import { NutSimServer, type NutSimServerOptions } from './nut-sim-server.js';
import {
  DEMO_PHASES,
  PowerCutScenario,
  type PowerCutPhases,
  type UpsProfile,
} from './power-cut.js';

export {
  NutSimServer,
  SimServerError,
  varLine,
  type NutSimServerOptions,
} from './nut-sim-server.js';
export { GARBAGE_LINE, SIM_VERSION_LINE, type SimFaults } from './sim-session.js';
export {
  DEFAULT_PROFILE,
  DEMO_PHASES,
  PowerCutScenario,
  phaseAt,
  powerCutVars,
  type PowerCutOptions,
  type PowerCutPhase,
  type PowerCutPhases,
  type UpsProfile,
  type VarsTarget,
} from './power-cut.js';

/** UPS names of the demo, with a slightly different load each. */
export const DEMO_UPSES: Readonly<Record<string, UpsProfile>> = {
  DemoUPS: { model: 'Demo UPS 1500', loadPct: 25, fullRuntimeSec: 1800 },
  RackUPS: { model: 'Demo Rack UPS 3000', loadPct: 40, fullRuntimeSec: 1500 },
};

export interface DemoOptions {
  upses?: Readonly<Record<string, UpsProfile>>;
  phases?: PowerCutPhases;
  staggerMs?: number;
  port?: number;
  server?: NutSimServerOptions;
}

export interface RunningDemo {
  host: string;
  port: number;
  /** `UPS@host:port` targets, ready for the `ups[].name` config key. */
  targets: string[];
  server: NutSimServer;
  scenario: PowerCutScenario;
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions = {}): Promise<RunningDemo> {
  const upses = opts.upses ?? DEMO_UPSES;
  const names = Object.keys(upses);
  const server = new NutSimServer({ ...opts.server, port: opts.port ?? opts.server?.port ?? 0 });
  const scenario = new PowerCutScenario({
    target: server,
    upses: names,
    profiles: upses,
    phases: opts.phases ?? DEMO_PHASES,
    staggerMs: opts.staggerMs ?? 10_000,
  });
  scenario.tick();
  const { host, port } = await server.start();
  scenario.start();
  return {
    host,
    port,
    targets: names.map((name) => `${name}@${host}:${port}`),
    server,
    scenario,
    async stop() {
      scenario.stop();
      await server.stop();
    },
  };
}
