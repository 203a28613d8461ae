/**
 * The advisory trigger latch of redundancy-group members: a member never shuts anything down,
 * it only reports `triggerActive`/`triggerReason` for the group evaluator. Notes are written on
 * edges only, so a latched condition does not flood the log.
 */
import { note, type Outputs } from './outputs.js';
import type { UpsState } from './state.js';

export function setAdvisory(s: UpsState, reason: string, out: Outputs): void {
  const rising = !s.triggerActive;
  s.triggerActive = true;
  s.triggerReason = reason;
  if (rising) note(out, 'warn', `Trigger condition met (advisory, redundancy group): ${reason}`);
}

export function clearAdvisory(s: UpsState, why: string, out: Outputs): void {
  if (!s.triggerActive) return;
  const previous = s.triggerReason;
  s.triggerActive = false;
  s.triggerReason = '';
  note(out, 'info', `Advisory trigger cleared (${why}; was: ${previous})`);
}
