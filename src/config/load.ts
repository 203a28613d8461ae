/**
 * Loading and validating a config file (core spec §1.1): read, parse YAML, run the structural
 * gate (fatal), validate with the one schema (repairing the document so every problem is
 * reported in one pass), normalise, run the semantic rules, deep-freeze. Load errors throw
 * `ConfigLoadError`; validation findings come back as messages.
 */
import { readFileSync } from 'node:fs';
import { type AuthDbProbe, authEffectivelyActive, probeAuthDb } from './auth-state.js';
import { ConfigLoadError } from './errors.js';
import { mapIssues, withoutPaths } from './issues.js';
import type { ConfigMessage } from './messages.js';
import { deepFreeze, normalizeConfig } from './normalize.js';
import { runRules } from './rules/index.js';
import { configSchema, type ParsedConfig } from './schema/root.js';
import { structuralProblems } from './structure.js';
import type { Config } from './types.js';
import { parseYaml } from './yaml.js';

export { hasErrors, type ConfigMessage, type MessageLevel } from './messages.js';
export { sanitizeUpsName } from './sanitize.js';
export { ConfigLoadError, type ConfigLoadErrorCode } from './errors.js';

export const DEFAULT_CONFIG_PATHS: readonly string[] = [
  '/etc/ups-monitor/config.yaml',
  '/etc/ups-monitor/config.yml',
];

export interface LoadedConfig {
  config: Config;
  messages: ConfigMessage[];
  /** The file read, or null when no file exists at the default paths (all defaults). */
  source: string | null;
}

export interface LoadOptions {
  /** Reads the auth DB for the auth gate (tests inject a fake; default opens it read-only). */
  probeAuthDb?: (dbPath: string) => AuthDbProbe;
  /** Default search list when no path is given (tests point it at a temp dir). */
  defaultPaths?: readonly string[];
}

const MAX_REPAIR_PASSES = 8;

/** Validates already-parsed YAML data (a mapping, or null for an empty file). */
export function parseConfig(
  raw: unknown,
  options: LoadOptions = {},
  source: string | null = null,
): LoadedConfig {
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigLoadError(
      'STRUCTURE',
      `config root must be a mapping, got ${Array.isArray(raw) ? 'list' : typeof raw}.`,
    );
  }
  const root: Record<string, unknown> = raw
    ? (structuredClone(raw) as Record<string, unknown>)
    : {};
  for (const key of Object.keys(root)) if (key.startsWith('x-')) delete root[key];
  const problems = structuralProblems(root);
  if (problems.length > 0) {
    throw new ConfigLoadError('STRUCTURE', problems[0] ?? 'invalid structure', { problems });
  }

  const messages: ConfigMessage[] = [];
  const seen = new Set<string>();
  let document: unknown = root;
  let parsed: ParsedConfig | null = null;
  for (let pass = 0; pass < MAX_REPAIR_PASSES && parsed === null; pass += 1) {
    const result = configSchema.safeParse(document);
    if (result.success) {
      parsed = result.data;
      break;
    }
    const mapped = mapIssues(result.error.issues, configSchema, document);
    for (const message of mapped.messages) {
      if (!seen.has(message.text)) messages.push(message);
      seen.add(message.text);
    }
    if (mapped.removals.length === 0) break;
    document = withoutPaths(document, mapped.removals);
  }
  const repaired = (parsed === null ? {} : document) as Record<string, unknown>;
  const config = normalizeConfig(repaired, parsed ?? configSchema.parse({}));
  const probe = options.probeAuthDb ?? probeAuthDb;
  let authActive: boolean | null = null;
  messages.push(
    ...runRules({
      raw: repaired,
      config,
      authActive: () => (authActive ??= authEffectivelyActive(config.api, probe)),
    }),
  );
  return { config: deepFreeze(config), messages, source };
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ConfigLoadError('NOT_FOUND', `config file not found: ${path}`, { cause });
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigLoadError('UNREADABLE', `cannot read config file ${path}: ${reason}`, {
      cause,
    });
  }
}

/**
 * Loads `path`, or the first default path that exists. With no path and no default file the
 * result is the all-defaults config with `source: null`.
 */
export function loadConfigFile(path?: string, options: LoadOptions = {}): LoadedConfig {
  if (path === undefined) {
    for (const candidate of options.defaultPaths ?? DEFAULT_CONFIG_PATHS) {
      try {
        return loadConfigFile(candidate, options);
      } catch (cause) {
        if (!(cause instanceof ConfigLoadError && cause.code === 'NOT_FOUND')) throw cause;
      }
    }
    return parseConfig({}, options, null);
  }
  const text = readConfigText(path);
  return parseConfig(parseYaml(text, path), options, path);
}
