/**
 * `eneru validate [-c FILE]` (core spec §1.4, §11): print what the configuration means, every
 * ERROR / WARNING / INFO line, then the verdict. Exit 0 when valid, 1 on any ERROR or when the
 * file cannot be loaded.
 */
import { detectRuntimeContext } from '../app/runtime-context.js';
import { readVersion } from '../app/version.js';
import {
  ConfigLoadError,
  hasErrors,
  loadConfigFile,
  type LoadedConfig,
  type LoadOptions,
} from '../config/index.js';
import { renderOverview } from '../config/overview.js';

export interface ValidateIo {
  out(line: string): void;
  err(line: string): void;
}

export interface ValidateDeps {
  version?: string;
  runtimeContext?: string;
  load?: LoadOptions;
}

export function runValidate(
  opts: { config?: string },
  io: ValidateIo,
  deps: ValidateDeps = {},
): number {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfigFile(opts.config, deps.load);
  } catch (cause) {
    if (!(cause instanceof ConfigLoadError)) throw cause;
    for (const problem of cause.problems) io.err(`ERROR: ${problem}`);
    io.err(`Configuration is INVALID — ${cause.problems.length} error(s)`);
    return 1;
  }
  const overview = renderOverview(loaded.config, {
    version: deps.version ?? readVersion(),
    runtimeContext: deps.runtimeContext ?? detectRuntimeContext().context,
    source: loaded.source,
  });
  for (const line of overview) io.out(line);
  if (loaded.source === null) io.out('No config file found. Using default configuration.');
  io.out('');
  for (const message of loaded.messages) io.out(message.text);
  const errors = loaded.messages.filter((message) => message.level === 'ERROR').length;
  if (hasErrors(loaded.messages)) {
    io.out(`Configuration is INVALID — ${errors} error(s)`);
    return 1;
  }
  io.out('Configuration is valid.');
  return 0;
}
