/**
 * Typed NUT failures. Every `ERR <CODE>` upsd sends becomes a `NutError` whose `code` is the
 * protocol code verbatim, so callers switch on `DATA-STALE` instead of matching substrings.
 * Local failures (timeouts, broken connections, garbage, TLS) get codes of their own.
 */

/** `ERR` codes defined by NUT's network protocol (docs/net-protocol.txt). */
export const NUT_SERVER_ERROR_CODES = [
  'ACCESS-DENIED',
  'UNKNOWN-UPS',
  'VAR-NOT-SUPPORTED',
  'CMD-NOT-SUPPORTED',
  'INVALID-ARGUMENT',
  'INSTCMD-FAILED',
  'SET-FAILED',
  'READONLY',
  'TOO-LONG',
  'FEATURE-NOT-SUPPORTED',
  'FEATURE-NOT-CONFIGURED',
  'ALREADY-SSL-MODE',
  'DRIVER-NOT-CONNECTED',
  'DATA-STALE',
  'ALREADY-LOGGED-IN',
  'INVALID-PASSWORD',
  'ALREADY-SET-PASSWORD',
  'INVALID-USERNAME',
  'ALREADY-SET-USERNAME',
  'USERNAME-REQUIRED',
  'PASSWORD-REQUIRED',
  'UNKNOWN-COMMAND',
  'INVALID-VALUE',
] as const;

export type NutServerErrorCode = (typeof NUT_SERVER_ERROR_CODES)[number];

/**
 * Failures detected on our side: `TIMEOUT` (deadline expired), `CONNECTION` (refused, reset,
 * closed, or not attempted during reconnect backoff), `PROTOCOL` (garbage or unexpected reply),
 * `TLS` (STARTTLS refused in `required` mode, handshake or certificate failure), `ABORTED`
 * (the caller's AbortSignal fired).
 */
export const NUT_LOCAL_ERROR_CODES = [
  'TIMEOUT',
  'CONNECTION',
  'PROTOCOL',
  'TLS',
  'ABORTED',
] as const;

export type NutLocalErrorCode = (typeof NUT_LOCAL_ERROR_CODES)[number];

/** A known code, or an `ERR` code this version does not know, kept verbatim. */
export type NutErrorCode =
  NutServerErrorCode | NutLocalErrorCode | (string & { readonly __unknownNutCode?: never });

const serverCodes: ReadonlySet<string> = new Set(NUT_SERVER_ERROR_CODES);

export function isKnownServerCode(code: string): code is NutServerErrorCode {
  return serverCodes.has(code);
}

export class NutError extends Error {
  override readonly name = 'NutError';
  readonly code: NutErrorCode;
  /** True when the code came from an `ERR` line of upsd (the connection is still usable). */
  readonly fromServer: boolean;

  constructor(
    code: NutErrorCode,
    message: string,
    options?: { cause?: unknown; fromServer?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fromServer = options?.fromServer ?? false;
  }
}

/**
 * Builds the error for an `ERR` reply line (`ERR DATA-STALE` or `ERR UNKNOWN-UPS extra`).
 * `where` says which server and request it answered, e.g. `127.0.0.1:3493, LIST VAR TestUPS`.
 */
export function errorFromErrLine(tokens: readonly string[], where: string): NutError {
  const code = tokens[1] ?? '';
  if (code === '') return new NutError('PROTOCOL', `upsd ${where} sent an ERR line without a code`);
  const extra = tokens.slice(2).join(' ');
  const suffix = extra === '' ? '' : ` (${extra})`;
  const label = isKnownServerCode(code) ? code : `${code} (unknown error code)`;
  return new NutError(code, `upsd ${where} answered ERR ${label}${suffix}`, { fromServer: true });
}

/** Normalises anything thrown inside the client into a NutError, keeping it as `cause`. */
export function toNutError(
  err: unknown,
  fallbackCode: NutLocalErrorCode,
  context: string,
): NutError {
  if (err instanceof NutError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new NutError(fallbackCode, `${context}: ${detail}`, { cause: err });
}

/**
 * The spec's two poll-failure classes: `DATA-STALE` is stale (the UPS is known, its driver is
 * just not updating), everything else (refused, timeout, unknown UPS, driver gone, access
 * denied, garbage) is a hard error.
 */
export function failureClass(err: NutError): 'stale' | 'hard' {
  return err.code === 'DATA-STALE' ? 'stale' : 'hard';
}
