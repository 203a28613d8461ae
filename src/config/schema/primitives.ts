/**
 * Building blocks of the config schema. Every scalar rule of the spec (real YAML booleans, int
 * versus number, ranges, enums, nullable paths) is expressed once here so the section schemas
 * read like the spec's tables and every error names the same expectation the same way.
 */
import { z } from 'zod';
import { unsafeProbeReason } from '../../domain/safe-probe.js';

/** A real YAML boolean (`"false"` in quotes is rejected by zod's type check). */
export const bool = (fallback: boolean) => z.boolean().default(fallback);

/** An integer (bools and floats rejected) with an inclusive range. */
export function intIn(min: number, max?: number) {
  const base = z.int().min(min);
  return max === undefined ? base : base.max(max);
}

export const int = (fallback: number, min: number, max?: number) =>
  intIn(min, max).default(fallback);

/** A number (int or float) with a lower bound, inclusive unless `exclusive`. */
export function numberFrom(min: number, exclusive = false) {
  return exclusive ? z.number().gt(min) : z.number().min(min);
}

export const str = (fallback: string) => z.string().default(fallback);

export const nullableStr = () => z.string().nullable().default(null);

export const stringList = () => z.array(z.string()).default(() => []);

/** An enum with a default; the values are the exact YAML spellings. */
export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
) {
  return z.enum(values).default(fallback as never);
}

/** `HH:MM` on a 24-hour clock (report and self-test schedules). */
export const clockTime = (fallback: string) =>
  z
    .string()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day HH:MM (00:00-23:59)' })
    .default(fallback);

/** A mapping section whose every key has a default, so an absent section is all defaults. */
export function section<T extends z.core.$ZodLooseShape>(shape: T) {
  // Every key has a default, so {} is a valid input; the generic shape hides that from tsc.
  return z.strictObject(shape).prefault({} as never);
}

/** A command that passes the safe-probe rule (core spec §9). */
export const safeProbe = (fallback: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const reason = unsafeProbeReason(value);
      if (reason !== null)
        ctx.addIssue({ code: 'custom', message: `is not a safe probe command: ${reason}` });
    })
    .default(fallback);
