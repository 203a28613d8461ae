/**
 * Shutdown trigger thresholds (core spec §1.3 `triggers`). The same schema validates the global
 * block and every per-UPS / redundancy-group override; overrides are merged key by key on the
 * raw YAML before being parsed again, so a partial override inherits every unset nested key.
 */
import { z } from 'zod';
import { bool, choice, int, numberFrom, section } from './primitives.js';

export const VOLTAGE_SENSITIVITIES = ['tight', 'normal', 'loose'] as const;

/** Warning band half-width for each sensitivity (fraction of nominal voltage). */
export const VOLTAGE_SENSITIVITY_BAND: Readonly<
  Record<(typeof VOLTAGE_SENSITIVITIES)[number], number>
> = {
  tight: 0.05,
  normal: 0.1,
  loose: 0.15,
};

export const triggersSchema = section({
  low_battery_threshold: int(20, 0, 100),
  critical_runtime_threshold: int(600, 0),
  on_battery_stabilization_delay: int(30, 0),
  depletion: section({
    window: int(300, 1),
    critical_rate: numberFrom(0, true).default(15.0),
    grace_period: int(90, 0),
  }),
  extended_time: section({
    enabled: bool(true),
    threshold: int(900, 0),
  }),
  voltage_sensitivity: choice(VOLTAGE_SENSITIVITIES, 'normal'),
});

export type TriggersConfig = z.output<typeof triggersSchema>;
