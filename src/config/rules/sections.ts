/**
 * Section-level rules that need more than one key or a resolved value: local shutdown command,
 * notification suppression and legacy Discord, MQTT broker and TLS pairing, battery-health
 * score order, self-test command, trigger timing warnings, and the API-auth gates.
 */
import { SUPPRESSIBLE_EVENT_TYPES, UNSUPPRESSIBLE_EVENT_TYPES } from '../../domain/event-types.js';
import { error, type ConfigMessage, info, warning } from '../messages.js';
import { discordWebhookToUrl, legacyDiscordWebhook } from '../normalize.js';
import type { BatteryHealthConfig, TriggersConfig } from '../types.js';
import { mapping, redundancyRaw, type Rule, type RuleContext, upsPath, upsRaw } from './context.js';

export const localShutdownRules: Rule = ({ config }) =>
  config.local_shutdown.enabled && config.local_shutdown.command.trim() === ''
    ? [
        error(
          'local_shutdown.command',
          "'local_shutdown.command' must not be empty while local_shutdown.enabled is true.",
        ),
      ]
    : [];

export const notificationRules: Rule = (ctx) => {
  const out: ConfigMessage[] = [];
  const rawSuppress = mapping(ctx.raw.notifications).suppress;
  const entries = Array.isArray(rawSuppress) ? rawSuppress : [];
  entries.forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    const type = entry.trim().toUpperCase();
    const path = `notifications.suppress[${index}]`;
    if (UNSUPPRESSIBLE_EVENT_TYPES.has(type) || type.startsWith('SHUTDOWN')) {
      out.push(error(path, `'${path}': ${type} is safety-critical and cannot be suppressed.`));
    } else if (!SUPPRESSIBLE_EVENT_TYPES.has(type)) {
      out.push(
        error(
          path,
          `'${path}': unknown or non-suppressible event type '${entry}' (allowed: ${[...SUPPRESSIBLE_EVENT_TYPES].join(', ')}).`,
        ),
      );
    }
  });
  if (ctx.config.notifications.voltage_hysteresis_seconds > 600) {
    out.push(
      warning(
        'notifications.voltage_hysteresis_seconds',
        `'notifications.voltage_hysteresis_seconds' is ${ctx.config.notifications.voltage_hysteresis_seconds}s (> 600): voltage notifications will lag by more than 10 minutes.`,
      ),
    );
  }
  const legacy = legacyDiscordWebhook(ctx.raw);
  if (legacy !== null) {
    if (discordWebhookToUrl(legacy.url) === null) {
      out.push(
        error(
          legacy.path,
          `'${legacy.path}' is not a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>).`,
        ),
      );
    } else {
      out.push(
        info(
          legacy.path,
          `Legacy Discord webhook_url detected at '${legacy.path}'; it was converted to a discord:// URL in notifications.urls. Consider moving it there.`,
        ),
      );
    }
  }
  if (
    ctx.raw.docker !== undefined &&
    ctx.raw.containers === undefined &&
    !Array.isArray(ctx.raw.ups)
  ) {
    out.push(
      info(
        'docker',
        "Legacy 'docker' section detected; it is read as 'containers' with runtime: docker.",
      ),
    );
  }
  return out;
};

export const reportRules: Rule = ({ config }) => {
  const { reports } = config;
  return reports.enabled && !reports.daily && !reports.weekly && !reports.monthly
    ? [
        warning(
          'reports.enabled',
          "'reports.enabled' is true but none of daily, weekly or monthly is; no report will be sent.",
        ),
      ]
    : [];
};

export const mqttRules: Rule = ({ config }) => {
  const out: ConfigMessage[] = [];
  const { mqtt } = config;
  const broker = mqtt.broker.trim();
  if (mqtt.enabled && broker === '') {
    out.push(
      error(
        'mqtt.broker',
        "'mqtt.broker' is required when mqtt.enabled is true (mqtt://host[:port] or mqtts://host[:port]).",
      ),
    );
  } else if (broker !== '') {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(broker)?.[1]?.toLowerCase();
    if (scheme === undefined) {
      out.push(
        warning(
          'mqtt.broker',
          `'mqtt.broker' has no scheme; it is used as a plain host on port 1883 (write mqtt://${broker} to be explicit).`,
        ),
      );
    } else if (scheme !== 'mqtt' && scheme !== 'mqtts') {
      out.push(
        error('mqtt.broker', `'mqtt.broker' must use mqtt:// or mqtts://, got '${scheme}://'.`),
      );
    }
  }
  if ((mqtt.tls.cert_file === null) !== (mqtt.tls.key_file === null)) {
    out.push(
      error(
        'mqtt.tls',
        "'mqtt.tls.cert_file' and 'mqtt.tls.key_file' must be set together (client certificate and its key).",
      ),
    );
  }
  return out;
};

function scoreOrder(path: string, health: BatteryHealthConfig): ConfigMessage[] {
  return health.critical_score < health.warn_score
    ? []
    : [
        error(
          `${path}.critical_score`,
          `'${path}.critical_score' (${health.critical_score}) must be lower than warn_score (${health.warn_score}).`,
        ),
      ];
}

function stabilization(path: string, triggers: TriggersConfig): ConfigMessage[] {
  const delay = triggers.on_battery_stabilization_delay;
  const runtime = triggers.critical_runtime_threshold;
  return runtime > 0 && delay >= runtime
    ? [
        warning(
          `${path}.on_battery_stabilization_delay`,
          `'${path}.on_battery_stabilization_delay' (${delay}s) is >= critical_runtime_threshold (${runtime}s): the runtime trigger is ignored for the whole stabilization window.`,
        ),
      ]
    : [];
}

function selfTestCommand(path: string, command: string): ConfigMessage[] {
  return command.trim() !== '' && !command.trim().startsWith('test.')
    ? [
        warning(
          `${path}.command`,
          `'${path}.command' is '${command}', which is not a NUT test.* command.`,
        ),
      ]
    : [];
}

/** Checks of merged per-group sections, reported only where the file sets the override. */
export const groupSectionRules: Rule = (ctx) => {
  const { config } = ctx;
  const out: ConfigMessage[] = [
    ...scoreOrder('battery_health', config.battery_health),
    ...stabilization('triggers', config.triggers),
    ...selfTestCommand('self_test', config.self_test.command),
  ];
  config.ups.forEach((group, index) => {
    const raw = upsRaw(ctx, index);
    const path = upsPath(ctx, index);
    if (raw.battery_health !== undefined)
      out.push(...scoreOrder(`${path}.battery_health`, group.battery_health));
    if (raw.triggers !== undefined) out.push(...stabilization(`${path}.triggers`, group.triggers));
    if ('command' in mapping(raw.self_test))
      out.push(...selfTestCommand(`${path}.self_test`, group.self_test.command));
  });
  config.redundancy_groups.forEach((group, index) => {
    if (redundancyRaw(ctx, index).triggers !== undefined) {
      out.push(...stabilization(`redundancy_groups[${index}].triggers`, group.triggers));
    }
  });
  return out;
};

/** nut_control and scheduled self-tests are write paths: they need effective API auth. */
export const authGateRules: Rule = (ctx: RuleContext) => {
  const out: ConfigMessage[] = [];
  const wants: string[] = [];
  if (ctx.config.nut_control.enabled) wants.push('nut_control.enabled');
  if (ctx.config.self_test.enabled) wants.push('self_test.enabled');
  ctx.config.ups.forEach((group, index) => {
    if (group.self_test.enabled && !ctx.config.self_test.enabled)
      wants.push(`${upsPath(ctx, index)}.self_test.enabled`);
  });
  if (wants.length === 0 || ctx.authActive()) return out;
  for (const path of wants) {
    out.push(
      error(
        path,
        `'${path}' requires API authentication: set api.auth.enabled: true (or keep a user in the auth database at ${ctx.config.api.auth.db_path}).`,
      ),
    );
  }
  return out;
};
