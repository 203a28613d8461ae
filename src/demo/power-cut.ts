/**
 * PowerCutScenario: moves simulated UPSes through a power cut in a loop — online, on battery
 * (charge and runtime falling), low battery (`OB DISCHRG LB`, charge under 20), power restored
 * (`OL CHRG`, charging back) — with realistic variables. The values are a pure function of the
 * time into the cycle (`powerCutVars`), so unit tests drive it with `tick(nowMs)` and no waiting;
 * `start()` / `stop()` own the only timer.
 */

export interface PowerCutPhases {
  onlineMs: number;
  onBatteryMs: number;
  lowBatteryMs: number;
  restoredMs: number;
}

/** Demo defaults: about 20 s online, 40 s on battery, 15 s low battery, 30 s restored. */
export const DEMO_PHASES: PowerCutPhases = {
  onlineMs: 20_000,
  onBatteryMs: 40_000,
  lowBatteryMs: 15_000,
  restoredMs: 30_000,
};

export type PowerCutPhase = 'online' | 'on-battery' | 'low-battery' | 'restored';

export interface UpsProfile {
  model: string;
  loadPct: number;
  /** Runtime at full charge and `loadPct`, seconds. */
  fullRuntimeSec: number;
}

export const DEFAULT_PROFILE: UpsProfile = {
  model: 'Demo UPS 1500',
  loadPct: 25,
  fullRuntimeSec: 1800,
};

/** Charge (%) at the boundaries: the outage drains 100 → 20, low battery 19 → 8. */
const CHARGE_AT_LB = 19;
const CHARGE_AT_RESTORE = 8;

export function phaseAt(
  elapsedMs: number,
  phases: PowerCutPhases,
): { phase: PowerCutPhase; fraction: number } {
  const cycle = phases.onlineMs + phases.onBatteryMs + phases.lowBatteryMs + phases.restoredMs;
  let t = ((elapsedMs % cycle) + cycle) % cycle;
  const order: Array<[PowerCutPhase, number]> = [
    ['online', phases.onlineMs],
    ['on-battery', phases.onBatteryMs],
    ['low-battery', phases.lowBatteryMs],
    ['restored', phases.restoredMs],
  ];
  for (const [phase, length] of order) {
    if (t < length) return { phase, fraction: length > 0 ? t / length : 0 };
    t -= length;
  }
  return { phase: 'online', fraction: 0 };
}

/** The variables a UPS reports `elapsedMs` into the power-cut cycle. */
export function powerCutVars(
  elapsedMs: number,
  phases: PowerCutPhases,
  profile: UpsProfile = DEFAULT_PROFILE,
): Record<string, string> {
  const { phase, fraction } = phaseAt(elapsedMs, phases);
  const wobble = Math.sin(elapsedMs / 7000);
  let chargePct: number;
  let status: string;
  let onBattery = false;
  let loadPct = profile.loadPct;
  switch (phase) {
    case 'online':
      chargePct = 100;
      status = 'OL';
      break;
    case 'on-battery':
      chargePct = 100 - (100 - 20) * fraction;
      status = 'OB DISCHRG';
      onBattery = true;
      loadPct += 5;
      break;
    case 'low-battery':
      chargePct = CHARGE_AT_LB - (CHARGE_AT_LB - CHARGE_AT_RESTORE) * fraction;
      status = 'OB DISCHRG LB';
      onBattery = true;
      loadPct += 5;
      break;
    case 'restored':
      chargePct = CHARGE_AT_RESTORE + (100 - CHARGE_AT_RESTORE) * fraction;
      status = 'OL CHRG';
      break;
  }
  const charge = Math.max(0, Math.min(100, Math.floor(chargePct)));
  const runtimeSec = Math.round(
    ((profile.fullRuntimeSec * charge) / 100) * (profile.loadPct / loadPct),
  );
  const inputV = onBattery ? 0 : 230 + 1.5 * wobble;
  const batteryV = 46 + (8 * charge) / 100 + (onBattery ? -0.4 : 0.3);
  return {
    'device.mfr': 'Eneru',
    'device.model': profile.model,
    'device.type': 'ups',
    'ups.mfr': 'Eneru',
    'ups.model': profile.model,
    'ups.status': status,
    'ups.load': String(Math.round(loadPct + 2 * wobble)),
    'ups.temperature': (35 + (onBattery ? 2 : 0) + 0.5 * wobble).toFixed(1),
    'ups.realpower': String(Math.round(((loadPct + 2 * wobble) / 100) * 900)),
    'ups.realpower.nominal': '900',
    'ups.power.nominal': '1500',
    'ups.test.result': 'No test initiated',
    'battery.charge': String(charge),
    'battery.charge.low': '20',
    'battery.runtime': String(runtimeSec),
    'battery.runtime.low': '300',
    'battery.voltage': batteryV.toFixed(1),
    'battery.voltage.nominal': '48',
    'input.voltage': inputV.toFixed(1),
    'input.voltage.nominal': '230',
    'input.frequency': onBattery ? '0.0' : (50 + 0.05 * wobble).toFixed(1),
    'input.transfer.low': '170',
    'input.transfer.high': '280',
    'output.voltage': (230 + 0.3 * wobble).toFixed(1),
    'output.voltage.nominal': '230',
    'output.frequency': '50.0',
    'driver.name': 'eneru-simulator',
  };
}

/** Where the scenario writes its variables (NutSimServer satisfies it). */
export interface VarsTarget {
  setVars(ups: string, vars: Readonly<Record<string, string>>): void;
}

export interface PowerCutOptions {
  target: VarsTarget;
  upses: readonly string[];
  phases?: PowerCutPhases;
  /** Shift of each successive UPS in the cycle, so a fleet does not move in lockstep. */
  staggerMs?: number;
  profiles?: Readonly<Record<string, UpsProfile>>;
  tickMs?: number;
  now?: () => number;
}

export class PowerCutScenario {
  private readonly phases: PowerCutPhases;
  private readonly now: () => number;
  private startedAtMs: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: PowerCutOptions) {
    this.phases = opts.phases ?? DEMO_PHASES;
    this.now = opts.now ?? Date.now;
  }

  /** Writes the current variables of every UPS (the cycle starts at the first tick). */
  tick(nowMs: number = this.now()): void {
    if (this.startedAtMs === null) this.startedAtMs = nowMs;
    const elapsed = nowMs - this.startedAtMs;
    this.opts.upses.forEach((ups, index) => {
      const profile = this.opts.profiles?.[ups] ?? DEFAULT_PROFILE;
      this.opts.target.setVars(
        ups,
        powerCutVars(elapsed + index * (this.opts.staggerMs ?? 0), this.phases, profile),
      );
    });
  }

  /** The phase a UPS is in right now (for logs and the demo banner). */
  phaseOf(ups: string, nowMs: number = this.now()): PowerCutPhase {
    const index = Math.max(0, this.opts.upses.indexOf(ups));
    const elapsed = nowMs - (this.startedAtMs ?? nowMs) + index * (this.opts.staggerMs ?? 0);
    return phaseAt(elapsed, this.phases).phase;
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
