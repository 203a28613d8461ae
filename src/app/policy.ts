/**
 * Translates the normalised configuration of one UPS group into the domain's policy: the pure
 * core never sees YAML names, and config layout changes stop here.
 */
import type { MonitorPolicy, TriggerPolicy } from '../domain/advance.js';
import type { Config, UpsGroupConfig } from '../config/index.js';

export function triggerPolicy(triggers: UpsGroupConfig['triggers']): TriggerPolicy {
  return {
    lowBatteryPct: triggers.low_battery_threshold,
    criticalRuntimeSec: triggers.critical_runtime_threshold,
    stabilizationSec: triggers.on_battery_stabilization_delay,
    depletion: {
      windowSec: triggers.depletion.window,
      criticalRatePctPerMin: triggers.depletion.critical_rate,
      gracePeriodSec: triggers.depletion.grace_period,
    },
    extendedTime: {
      enabled: triggers.extended_time.enabled,
      thresholdSec: triggers.extended_time.threshold,
    },
    voltageSensitivity: triggers.voltage_sensitivity,
  };
}

export function monitorPolicy(
  config: Config,
  ups: UpsGroupConfig,
  advisory: boolean,
): MonitorPolicy {
  return {
    upsName: ups.name,
    checkIntervalSec: ups.check_interval,
    staleTolerance: ups.max_stale_data_tolerance,
    grace: {
      enabled: ups.connection_loss_grace_period.enabled,
      durationSec: ups.connection_loss_grace_period.duration,
      flapThreshold: ups.connection_loss_grace_period.flap_threshold,
    },
    triggers: triggerPolicy(ups.triggers),
    advisory,
    voltageHysteresisSec: config.notifications.voltage_hysteresis_seconds,
    suppressedEvents: new Set(config.notifications.suppress.map((type) => type.toUpperCase())),
  };
}

/** UPS names that belong to any redundancy group run in advisory mode (core §4). */
export function redundancyMembers(config: Config): ReadonlySet<string> {
  return new Set(config.redundancy_groups.flatMap((group) => group.ups_sources));
}
