/**
 * UPS-name autodiscovery (core §2.2): when upsd answers that the configured UPS does not exist,
 * and the UPS is not on battery, ask upsd which UPSes it serves (at most every 10 minutes). If it
 * serves exactly one, poll that one for the rest of this session — the identity (name in the API,
 * events, statistics) stays the configured one. Otherwise the served names are logged.
 */
import type { NutClient } from '../nut/index.js';
import type { Logger } from '../logging/types.js';

export const DISCOVERY_INTERVAL_MS = 600_000;

export interface DiscoveryContext {
  client: NutClient;
  logger: Logger;
  nowMonoMs: number;
  onBattery: boolean;
  signal: AbortSignal;
}

export class UpsNameDiscovery {
  private lastProbeMonoMs: number | null = null;

  constructor(private readonly configured: string) {}

  /** Returns the UPS name to poll from now on, or null to keep the current one. */
  async afterUnknownUps(ctx: DiscoveryContext): Promise<string | null> {
    if (ctx.onBattery) return null;
    if (
      this.lastProbeMonoMs !== null &&
      ctx.nowMonoMs - this.lastProbeMonoMs < DISCOVERY_INTERVAL_MS
    ) {
      return null;
    }
    this.lastProbeMonoMs = ctx.nowMonoMs;
    let served: string[];
    try {
      served = Object.keys(await ctx.client.listUps(ctx.signal));
    } catch (error) {
      ctx.logger.warn(
        `UPS autodiscovery on ${ctx.client.endpoint} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
    if (served.includes(this.configured)) return null;
    const only = served.length === 1 ? served[0] : undefined;
    if (only !== undefined) {
      ctx.logger.warn(
        `UPS '${this.configured}' is not served by ${ctx.client.endpoint}; it serves exactly one UPS, '${only}': polling it for this session (the configured name stays the identity).`,
      );
      return only;
    }
    ctx.logger.warn(
      `UPS '${this.configured}' is not served by ${ctx.client.endpoint}; served UPSes: ${served.length > 0 ? served.join(', ') : 'none'}. Fix ups.name in the configuration.`,
    );
    return null;
  }
}
