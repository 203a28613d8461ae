/**
 * Errors raised while loading a config file, before any rule can run (missing file, unreadable
 * file, YAML syntax, the structural gate). Validation findings are messages, not exceptions.
 */
export type ConfigLoadErrorCode = 'NOT_FOUND' | 'UNREADABLE' | 'YAML' | 'STRUCTURE';

export class ConfigLoadError extends Error {
  override readonly name = 'ConfigLoadError';
  readonly code: ConfigLoadErrorCode;
  /** Every problem found (the structural gate reports all of them); `message` is the first. */
  readonly problems: readonly string[];

  constructor(
    code: ConfigLoadErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly string[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.problems = options?.problems ?? [message];
  }
}
