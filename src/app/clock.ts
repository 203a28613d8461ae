/** The real clock; the pure core and the monitor receive it so tests can pass their own. */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../domain/types.js';

export function systemClock(): Clock {
  return { monoMs: performance.now(), wallMs: Date.now() };
}
