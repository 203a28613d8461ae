/**
 * The semantic rules run after the schema, in a fixed order so `eneru validate` output is
 * stable. Each rule is independent; a fault inside one is reported as a message instead of
 * aborting validation.
 */
import { error, type ConfigMessage } from '../messages.js';
import type { Rule, RuleContext } from './context.js';
import { redundancyRules } from './redundancy.js';
import { remoteServerRules } from './remote.js';
import {
  authGateRules,
  groupSectionRules,
  localShutdownRules,
  mqttRules,
  notificationRules,
  reportRules,
} from './sections.js';
import { upsRules } from './ups.js';

const RULES: readonly Rule[] = [
  upsRules,
  redundancyRules,
  remoteServerRules,
  localShutdownRules,
  notificationRules,
  mqttRules,
  reportRules,
  groupSectionRules,
  authGateRules,
];

export function runRules(ctx: RuleContext): ConfigMessage[] {
  const out: ConfigMessage[] = [];
  for (const rule of RULES) {
    try {
      out.push(...rule(ctx));
    } catch (cause) {
      out.push(
        error(
          '',
          `internal validation failure in ${rule.name}: ${cause instanceof Error ? cause.message : String(cause)}`,
        ),
      );
    }
  }
  return out;
}

export type { RuleContext } from './context.js';
