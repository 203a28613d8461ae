/**
 * The configuration the built-in demo runs with: the simulated UPSes of the embedded NUT
 * server, forced dry-run, a harmless local shutdown command, statistics in a throwaway
 * directory and the HTTP API on its default loopback address so there is something to look at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, DEMO_PHASES, type PowerCutPhases } from '../demo/index.js';

export interface DemoEnvironment {
  rawConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

/** `phaseScale` < 1 speeds the power-cut cycle up (tests use it; the demo runs at 1). */
export async function startDemoEnvironment(phaseScale = 1): Promise<DemoEnvironment> {
  const scale = Number.isFinite(phaseScale) && phaseScale > 0 ? phaseScale : 1;
  const phases: PowerCutPhases = {
    onlineMs: DEMO_PHASES.onlineMs * scale,
    onBatteryMs: DEMO_PHASES.onBatteryMs * scale,
    lowBatteryMs: DEMO_PHASES.lowBatteryMs * scale,
    restoredMs: DEMO_PHASES.restoredMs * scale,
  };
  const demo = await startDemo({ phases, staggerMs: 10_000 * scale });
  const dir = mkdtempSync(join(tmpdir(), 'eneru-demo-'));
  const rawConfig = {
    ups: demo.targets.map((name, index) => ({
      name,
      display_name: index === 0 ? 'Demo office UPS' : 'Demo rack UPS',
      check_interval: 1,
      is_local: index === 0,
    })),
    behavior: { dry_run: true },
    triggers: { on_battery_stabilization_delay: Math.round(10 * scale) },
    local_shutdown: { enabled: true, command: 'true', trigger_on: 'none' },
    logging: {
      file: null,
      state_file: join(dir, 'ups-monitor.state'),
      battery_history_file: join(dir, 'ups-battery-history'),
      shutdown_flag_file: join(dir, 'ups-shutdown-scheduled'),
    },
    statistics: { db_directory: join(dir, 'stats') },
    api: { enabled: true, bind: '127.0.0.1', port: 9191, auth: { db_path: join(dir, 'auth.db') } },
    remote_health: { enabled: false },
  };
  return {
    rawConfig,
    async stop() {
      await demo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
