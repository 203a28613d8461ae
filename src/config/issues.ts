/**
 * Turns zod issues into spec-style messages and repairs the raw document so the rest of the
 * validation can still run: every offending value is removed (its default applies) and the
 * file is parsed again. That is how one `eneru validate` run reports every problem at once.
 */
import type { z } from 'zod';
import {
  describe,
  error,
  formatPath,
  type ConfigMessage,
  type PathPart,
  typeName,
  unknownKeyMessage,
} from './messages.js';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

const EXPECTED_WORDING: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false, unquoted)',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
};

export function valueAt(root: unknown, path: readonly PathPart[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

function issuePath(issue: Issue, prefix: readonly PathPart[]): PathPart[] {
  return [...prefix, ...issue.path.filter((p): p is PathPart => typeof p !== 'symbol')];
}

/** Follows `path` through wrappers, objects, arrays and unions to the schema that validates it. */
export function schemaAt(
  schema: AnySchema,
  path: readonly PathPart[],
  raw: unknown,
): AnySchema | null {
  let node: AnySchema | null = unwrap(schema, valueAt(raw, []));
  for (let i = 0; i < path.length && node !== null; i += 1) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    const part = path[i];
    const here = valueAt(raw, path.slice(0, i + 1));
    if (def.type === 'object' && typeof part === 'string') {
      const shape = def.shape as Record<string, AnySchema>;
      node = shape[part] === undefined ? null : unwrap(shape[part], here);
    } else if (def.type === 'array' && typeof part === 'number') {
      node = unwrap(def.element as AnySchema, here);
    } else {
      node = null;
    }
  }
  return node;
}

function unwrap(schema: AnySchema, value: unknown): AnySchema {
  let node = schema;
  for (;;) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (['optional', 'nullable', 'default', 'prefault', 'readonly'].includes(String(def.type))) {
      node = def.innerType as AnySchema;
    } else if (def.type === 'pipe') {
      node = def.in as AnySchema;
    } else if (def.type === 'union') {
      const options = def.options as AnySchema[];
      const wanted = Array.isArray(value)
        ? 'array'
        : typeof value === 'object' && value !== null
          ? 'object'
          : 'other';
      const match = options.find(
        (option) => String(unwrap(option, undefined)._zod.def.type) === wanted,
      );
      if (match === undefined) return node;
      node = match;
    } else {
      return node;
    }
  }
}

export function allowedKeysAt(
  schema: AnySchema,
  path: readonly PathPart[],
  raw: unknown,
): string[] {
  const node = schemaAt(schema, path, raw);
  if (node === null) return [];
  const def = node._zod.def as unknown as Record<string, unknown>;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** zod reports a non-number given to `z.int()` as "expected number"; the schema knows better. */
function isIntSchema(node: AnySchema | null): boolean {
  const format =
    node === null ? undefined : (node._zod.def as unknown as Record<string, unknown>).format;
  return typeof format === 'string' && format.includes('int');
}

/** `null`, `list`, `mapping`, or the type followed by the value (`string "false"`). */
function gotValue(value: unknown): string {
  return value === null || typeof value === 'object'
    ? typeName(value)
    : `${typeName(value)} ${describe(value)}`;
}

interface Mapped {
  messages: ConfigMessage[];
  /** Paths whose values must be dropped so the document parses. */
  removals: PathPart[][];
}

export function mapIssues(
  issues: readonly Issue[],
  schema: AnySchema,
  raw: unknown,
  prefix: PathPart[] = [],
): Mapped {
  const out: Mapped = { messages: [], removals: [] };
  for (const issue of issues) {
    const path = issuePath(issue, prefix);
    const label = formatPath(path);
    const value = valueAt(raw, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(schema, path, raw);
        for (const key of issue.keys) {
          if (path.length === 0 && key.startsWith('x-')) continue;
          out.messages.push(unknownKeyMessage(path, key, allowed));
          out.removals.push([...path, key]);
        }
        continue;
      }
      case 'invalid_union': {
        const branch = issue.errors.find(
          (errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0),
        );
        if (branch !== undefined && branch.length > 0) {
          // Messages come from the branch the value was meant for; the whole item is dropped.
          out.messages.push(...mapIssues(branch, schema, raw, path).messages);
          break;
        }
        const expected = issue.errors
          .flatMap((errors) =>
            errors.filter((e) => e.code === 'invalid_type' && e.path.length === 0),
          )
          .map(
            (e) =>
              EXPECTED_WORDING[(e as { expected: string }).expected] ??
              (e as { expected: string }).expected,
          );
        out.messages.push(
          error(label, `'${label}' must be ${expected.join(' or ')}, got ${typeName(value)}.`),
        );
        break;
      }
      case 'invalid_type': {
        const expected =
          issue.expected === 'number' && isIntSchema(schemaAt(schema, path, raw))
            ? 'int'
            : issue.expected;
        const wording = EXPECTED_WORDING[expected] ?? `of type ${expected}`;
        const got = value === undefined ? 'it is missing' : `got ${gotValue(value)}`;
        out.messages.push(error(label, `'${label}' must be ${wording}, ${got}.`));
        break;
      }
      case 'too_small': {
        const op = issue.inclusive === false ? '>' : '>=';
        out.messages.push(
          error(
            label,
            `'${label}' must be ${op} ${String(issue.minimum)}, got ${describe(value)}.`,
          ),
        );
        break;
      }
      case 'too_big': {
        const op = issue.inclusive === false ? '<' : '<=';
        out.messages.push(
          error(
            label,
            `'${label}' must be ${op} ${String(issue.maximum)}, got ${describe(value)}.`,
          ),
        );
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map((v) => String(v)).join(', ');
        out.messages.push(
          error(label, `'${label}' must be one of: ${values}; got ${describe(value)}.`),
        );
        break;
      }
      default:
        out.messages.push(error(label, `'${label}' ${issue.message}, got ${describe(value)}.`));
    }
    // A missing required key cannot be removed: drop the mapping that lacks it instead.
    out.removals.push(value === undefined && path.length > 0 ? path.slice(0, -1) : path);
  }
  return out;
}

const REMOVED = Symbol('removed');

/** A copy of `raw` without the values at `paths` (list items are dropped, not left as holes). */
export function withoutPaths(raw: unknown, paths: readonly PathPart[][]): unknown {
  const copy: unknown = structuredClone(raw);
  const arrays = new Set<unknown[]>();
  for (const path of paths) {
    if (path.length === 0) continue;
    const parent = valueAt(copy, path.slice(0, -1));
    const last = path[path.length - 1] as PathPart;
    if (Array.isArray(parent) && typeof last === 'number') {
      (parent as unknown[])[last] = REMOVED;
      arrays.add(parent);
    } else if (parent !== null && typeof parent === 'object') {
      delete (parent as Record<string, unknown>)[String(last)];
    }
  }
  for (const array of arrays) {
    const kept = array.filter((item) => item !== REMOVED);
    array.length = 0;
    array.push(...kept);
  }
  return copy;
}
