/**
 * The HTTP error vocabulary: one class carrying status, stable `code` and a client-safe message,
 * and the one place that turns any thrown value into the JSON envelope
 * `{"error": {"code", "message"}}`. Unknown errors become a 500 whose message never leaks
 * internals.
 */

export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'LENGTH_REQUIRED'
  | 'PAYLOAD_TOO_LARGE'
  | 'MISDIRECTED_REQUEST'
  | 'INTERNAL_ERROR'
  | 'STATS_UNAVAILABLE';

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** Extra top-level envelope fields (`availableEndpoints` on 404). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; extra?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.extra = options.extra ?? {};
  }
}

export const badRequest = (message: string): HttpError =>
  new HttpError(400, 'INVALID_REQUEST', message);

export interface ErrorEnvelope {
  error: { code: string; message: string };
  [extra: string]: unknown;
}

export function envelope(error: HttpError): ErrorEnvelope {
  return { ...error.extra, error: { code: error.code, message: error.message } };
}

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  message?: unknown;
}

/**
 * Maps Fastify's own errors (body limit, bad JSON, schema validation) to the documented
 * statuses; anything else is an internal error.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as FrameworkError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'body exceeds 65536 bytes', { cause: error });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError(400, 'INVALID_REQUEST', 'invalid Content-Length', { cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'INVALID_REQUEST', 'body must be valid JSON', { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(400, 'INVALID_REQUEST', 'unsupported request body', { cause: error });
    default:
      break;
  }
  if (e.validation !== undefined && typeof e.message === 'string') {
    return new HttpError(400, 'INVALID_REQUEST', e.message, { cause: error });
  }
  return new HttpError(500, 'INTERNAL_ERROR', INTERNAL_ERROR_MESSAGE, { cause: error });
}
