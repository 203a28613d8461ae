/**
 * Redundancy groups (§7), pure: member classification (first match wins), the counting policy,
 * and the quorum evaluation with its cold-start hold and "quorum LOST / restored" edge detector.
 * The evaluator loop (timers, executor, flag file) lives outside the domain and calls these.
 */
import { hasToken, parseNumeric } from './format.js';
import type { TriggerPolicy } from './policy.js';
import { RETRY_WAIT_MS } from './policy.js';
import type { LogNote, MemberHealth, RedundancyGroupSnapshot, UpsSnapshot } from './types.js';

const STALE_INTERVAL_MULTIPLIER = 5;
const COLD_START_SLACK_SEC = 10;

export interface MemberPolicy {
  /** The GROUP's triggers (a UPS may sit in several groups with different thresholds). */
  triggers: TriggerPolicy;
  /** The member's own `check_interval`, `max_stale_data_tolerance` and connection grace. */
  checkIntervalSec: number;
  staleTolerance: number;
  grace: { enabled: boolean; durationSec: number };
}

export interface MemberInput {
  snapshot: UpsSnapshot | null;
  /** Overrides `snapshot.connectionLostWallMs` when given. */
  connectionLostWallMs?: number | null;
  hasMonitor: boolean;
}

function onBatteryThresholdsHit(snapshot: UpsSnapshot, triggers: TriggerPolicy): boolean {
  const t = snapshot.timeOnBatterySec;
  const charge = parseNumeric(snapshot.vars['battery.charge']);
  if (charge !== null && charge >= 0 && Math.trunc(charge) < triggers.lowBatteryPct) return true;
  const runtime = parseNumeric(snapshot.vars['battery.runtime']);
  if (runtime !== null && runtime >= 0 && Math.trunc(runtime) < triggers.criticalRuntimeSec)
    return true;
  const rate = snapshot.depletionRatePctPerMin;
  if (rate > triggers.depletion.criticalRatePctPerMin && t >= triggers.depletion.gracePeriodSec)
    return true;
  return triggers.extendedTime.enabled && t > triggers.extendedTime.thresholdSec;
}

/** Classifies one member; `nowWallMs` is the evaluator's wall clock. */
export function classifyMember(
  member: MemberInput,
  policy: MemberPolicy,
  nowWallMs: number,
): MemberHealth {
  const snapshot = member.snapshot;
  if (!member.hasMonitor || snapshot === null || snapshot.lastUpdateWallMs === 0) return 'unknown';
  if (snapshot.connectionState === 'FAILED') return 'unknown';

  const interval = Math.max(1, Math.trunc(policy.checkIntervalSec) || 1);
  const tolerance = Math.max(1, Math.trunc(policy.staleTolerance) || 1);
  const graceSec = policy.grace.enabled ? Math.max(0, Math.trunc(policy.grace.durationSec)) : 0;
  const staleSec = STALE_INTERVAL_MULTIPLIER * interval;
  const preGraceSec = Math.max(staleSec, tolerance * (RETRY_WAIT_MS / 1000) + interval);
  const ageSec = (nowWallMs - snapshot.lastUpdateWallMs) / 1000;

  if (snapshot.connectionState === 'GRACE_PERIOD') {
    const lostWallMs = member.connectionLostWallMs ?? snapshot.connectionLostWallMs ?? null;
    const graceAgeSec = lostWallMs ? (nowWallMs - lostWallMs) / 1000 : ageSec - staleSec;
    return graceAgeSec >= graceSec ? 'unknown' : 'degraded';
  }

  const inFlightGrace =
    snapshot.connectionState === 'OK' &&
    ageSec > staleSec &&
    graceSec > 0 &&
    ageSec <= staleSec + graceSec;
  const staleRetry = snapshot.staleDataCount > 0 && ageSec <= preGraceSec;
  const transient = inFlightGrace || staleRetry;
  if (ageSec > staleSec && !transient) return 'unknown';

  if (snapshot.triggerActive || hasToken(snapshot.status, 'FSD')) return 'critical';
  if (hasToken(snapshot.status, 'OB')) {
    if (snapshot.timeOnBatterySec < Math.max(0, Math.trunc(policy.triggers.stabilizationSec)))
      return 'degraded';
    if (onBatteryThresholdsHit(snapshot, policy.triggers)) return 'critical';
    return 'degraded';
  }
  return transient ? 'degraded' : 'healthy';
}

export type DegradedCountsAs = 'healthy' | 'critical';
export type UnknownCountsAs = 'critical' | 'degraded' | 'healthy';

/** How a raw health counts: degraded → healthy|critical; unknown → policy (degraded then follows). */
export function effectiveHealth(
  health: MemberHealth,
  degradedCountsAs: DegradedCountsAs,
  unknownCountsAs: UnknownCountsAs,
): MemberHealth {
  if (health === 'degraded') return degradedCountsAs === 'critical' ? 'critical' : 'healthy';
  if (health === 'unknown') {
    if (unknownCountsAs === 'healthy') return 'healthy';
    if (unknownCountsAs === 'degraded')
      return effectiveHealth('degraded', degradedCountsAs, unknownCountsAs);
    return 'critical';
  }
  return health;
}

export interface QuorumGroupPolicy {
  name: string;
  upsSources: string[];
  minHealthy: number;
  degradedCountsAs: DegradedCountsAs;
  unknownCountsAs: UnknownCountsAs;
  isLocal: boolean;
  triggers: TriggerPolicy;
  /** Evaluator start delay: `5 × max(member check_interval) + 5` by default. */
  startupGraceSec: number;
}

export interface QuorumMember extends MemberInput {
  name: string;
  /** Member timing (check interval, tolerance, grace); the group's triggers are applied. */
  timing: Omit<MemberPolicy, 'triggers'>;
}

/** Edge-detector memory of one group's evaluator. */
export interface QuorumTracker {
  startedMonoMs: number;
  everReported: string[];
  wasQuorumLost: boolean;
  fired: boolean;
  coldStartLogged: boolean;
}

export function initialQuorumTracker(startedMonoMs: number): QuorumTracker {
  return {
    startedMonoMs,
    everReported: [],
    wasQuorumLost: false,
    fired: false,
    coldStartLogged: false,
  };
}

export function defaultStartupGraceSec(checkIntervalsSec: number[]): number {
  const base = checkIntervalsSec.length > 0 ? Math.max(...checkIntervalsSec) : 1;
  return 5 * Math.max(1, base) + 5;
}

/** Seconds the cold-start hold may last: startup grace + largest enabled member grace + 10. */
export function readinessWindowSec(group: QuorumGroupPolicy, members: QuorumMember[]): number {
  const graces = members
    .filter((m) => m.hasMonitor && m.timing.grace.enabled)
    .map((m) => Math.max(0, m.timing.grace.durationSec));
  return (
    group.startupGraceSec + (graces.length > 0 ? Math.max(...graces) : 0) + COLD_START_SLACK_SEC
  );
}

export interface QuorumEvaluation {
  healthyCount: number;
  rawQuorumLost: boolean;
  /** Raw loss and not held by the cold-start rule. */
  quorumLost: boolean;
  /** Raw loss held by the cold-start rule. */
  quorumDeferred: boolean;
  members: { name: string; health: MemberHealth; effectiveHealth: MemberHealth }[];
  /** `lost` / `restored` on an edge, else null. */
  transition: 'lost' | 'restored' | null;
  /** True exactly once per loss: the caller runs the group shutdown now. */
  fire: boolean;
  reason: string;
  notes: LogNote[];
  tracker: QuorumTracker;
}

export function evaluateQuorum(
  group: QuorumGroupPolicy,
  members: QuorumMember[],
  tracker: QuorumTracker,
  clock: { monoMs: number; wallMs: number },
): QuorumEvaluation {
  const everReported = new Set(tracker.everReported);
  const rows = members.map((m) => {
    if (m.hasMonitor && m.snapshot && m.snapshot.lastUpdateWallMs > 0) everReported.add(m.name);
    const health = classifyMember(m, { ...m.timing, triggers: group.triggers }, clock.wallMs);
    return {
      name: m.name,
      health,
      effectiveHealth: effectiveHealth(health, group.degradedCountsAs, group.unknownCountsAs),
    };
  });
  const healthyCount = rows.filter((r) => r.effectiveHealth === 'healthy').length;
  const rawQuorumLost = healthyCount < group.minHealthy;
  const notes: LogNote[] = [];
  const next: QuorumTracker = { ...tracker, everReported: [...everReported] };

  const neverReported = members
    .filter((m) => m.hasMonitor && !everReported.has(m.name))
    .map((m) => m.name);
  const withinReadiness =
    (clock.monoMs - tracker.startedMonoMs) / 1000 < readinessWindowSec(group, members);
  const hold = neverReported.length > 0 && withinReadiness;
  if (hold && rawQuorumLost && !next.coldStartLogged) {
    next.coldStartLogged = true;
    notes.push({
      level: 'info',
      message:
        `Redundancy group '${group.name}' deferring quorum decision: member(s) ${neverReported.join(', ')} ` +
        'have not published a first snapshot yet (cold-start protection).',
    });
  }
  const quorumLost = rawQuorumLost && !hold;
  const tally = rows.map((r) => `${r.name}=${r.health}`).join(', ');
  const counts = `healthy=${healthyCount}, min_healthy=${group.minHealthy}; ${tally}`;
  let transition: QuorumEvaluation['transition'] = null;
  if (quorumLost && !tracker.wasQuorumLost) {
    transition = 'lost';
    notes.push({
      level: 'error',
      message: `Redundancy group '${group.name}' quorum LOST (${counts})`,
    });
  } else if (!quorumLost && tracker.wasQuorumLost) {
    transition = 'restored';
    const rearmed = tracker.fired ? ' -- re-armed for next event' : '';
    notes.push({
      level: 'info',
      message: `Redundancy group '${group.name}' quorum restored${rearmed} (${counts})`,
    });
    next.fired = false;
  }
  next.wasQuorumLost = quorumLost;
  const fire = quorumLost && !next.fired;
  if (fire) next.fired = true;
  return {
    healthyCount,
    rawQuorumLost,
    quorumLost,
    quorumDeferred: rawQuorumLost && hold,
    members: rows,
    transition,
    fire,
    reason: `redundancy quorum lost: healthy=${healthyCount} < min_healthy=${group.minHealthy}`,
    notes,
    tracker: next,
  };
}

/** Records that the executor declined to run (flag already present): no "re-armed" on recovery. */
export function markFireSuppressed(tracker: QuorumTracker): QuorumTracker {
  return { ...tracker, fired: false };
}

/** `@ : /` → `-`, the sanitised form used in ids and flag names. */
export function sanitizeName(name: string): string {
  return (name === '' ? 'unnamed' : name).replace(/[@:/]/g, '-');
}

/** The group's row in `/api/v1/ups` (without `remoteHealth`, which the app adds). */
export function redundancyGroupSnapshot(
  group: QuorumGroupPolicy,
  evaluation: QuorumEvaluation,
): RedundancyGroupSnapshot {
  return {
    groupId: `redundancy-${sanitizeName(group.name)}`,
    name: group.name,
    upsSources: [...group.upsSources],
    minHealthy: group.minHealthy,
    healthyCount: evaluation.healthyCount,
    quorumLost: evaluation.quorumLost,
    quorumDeferred: evaluation.quorumDeferred,
    members: evaluation.members.map((m) => ({ ...m })),
    isLocal: group.isLocal,
  };
}
