/**
 * Replays reading sequences through the pure core with a manual clock, collecting every event,
 * note, notification and command, so domain tests read like the outage they describe.
 * Scenarios come from `test/fixtures/nut-scenarios/*.dev` (`key: value` lines).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  advance,
  initialState,
  type AdvanceResult,
  type MonitorPolicy,
  type PersistedOutage,
  type UpsState,
} from '../../src/domain/advance.js';
import type {
  DomainEvent,
  LogNote,
  MonitorCommand,
  NotificationRequest,
  NutVars,
  PollOutcome,
} from '../../src/domain/types.js';

const SCENARIO_DIR = join(import.meta.dirname, '..', 'fixtures', 'nut-scenarios');

/** Parses a dummy-ups `.dev` file into NUT variables. */
export function parseDev(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) continue;
    vars[trimmed.slice(0, colon).trim()] = trimmed.slice(colon + 1).trim();
  }
  return vars;
}

export function scenario(
  name: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return { ...parseDev(readFileSync(join(SCENARIO_DIR, `${name}.dev`), 'utf8')), ...overrides };
}

export interface StepOptions {
  /** Time since the previous poll (default: the policy's check interval). */
  afterMs?: number;
  durationMs?: number;
}

export class Replay {
  state: UpsState;
  monoMs: number;
  wallMs: number;
  readonly events: DomainEvent[] = [];
  readonly notes: LogNote[] = [];
  readonly notifications: NotificationRequest[] = [];
  readonly commands: MonitorCommand[] = [];
  last: AdvanceResult | null = null;

  constructor(
    readonly policy: MonitorPolicy,
    options: {
      monoMs?: number;
      wallMs?: number;
      persisted?: PersistedOutage | null;
      state?: UpsState;
    } = {},
  ) {
    this.monoMs = options.monoMs ?? 1_000_000;
    this.wallMs = options.wallMs ?? 1_700_000_000_000;
    this.state = options.state ?? initialState(policy, this.clock, options.persisted ?? null);
  }

  get clock(): { monoMs: number; wallMs: number } {
    return { monoMs: this.monoMs, wallMs: this.wallMs };
  }

  poll(outcome: PollOutcome, options: StepOptions = {}): AdvanceResult {
    const stepMs = options.afterMs ?? this.policy.checkIntervalSec * 1000;
    this.monoMs += stepMs;
    this.wallMs += stepMs;
    const result = advance(
      this.state,
      { monoMs: this.monoMs, wallMs: this.wallMs, durationMs: options.durationMs ?? 20, outcome },
      this.policy,
    );
    this.state = result.state;
    this.events.push(...result.events);
    this.notes.push(...result.notes);
    this.notifications.push(...result.notifications);
    this.commands.push(...result.commands);
    this.last = result;
    return result;
  }

  ok(vars: NutVars, options: StepOptions = {}): AdvanceResult {
    return this.poll({ kind: 'ok', vars }, options);
  }

  /** `count` identical good polls. */
  repeat(vars: NutVars, count: number, options: StepOptions = {}): void {
    for (let i = 0; i < count; i += 1) this.ok(vars, options);
  }

  stale(options: StepOptions = {}): AdvanceResult {
    return this.poll({ kind: 'stale', message: 'Data stale' }, options);
  }

  error(message = 'connection refused', options: StepOptions = {}): AdvanceResult {
    return this.poll({ kind: 'error', message }, options);
  }

  eventTypes(): string[] {
    return this.events.map((e) => e.type);
  }

  noteMatching(fragment: string): LogNote[] {
    return this.notes.filter((n) => n.message.includes(fragment));
  }
}
