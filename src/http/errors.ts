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
  | 'STATS_UNAVAILABLE'
  | 'AUTH_UNAVAILABLE';

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** Extra top-level envelope fields (`availableEndpoints` on 404). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Response headers that belong to this error (`Allow` on 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: {
      cause?: unknown;
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
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

const CLIENT_ERRORS: Readonly<Record<string, readonly [number, ErrorCode, string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [400, 'INVALID_REQUEST', 'request body timed out'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'INVALID_REQUEST', 'invalid Content-Length'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'INVALID_REQUEST', 'invalid Content-Length'],
  HPE_HEADER_OVERFLOW: [431, 'INVALID_REQUEST', 'request headers too large'],
  HPE_INVALID_METHOD: [405, 'METHOD_NOT_ALLOWED', 'method not allowed'],
};

/**
 * The raw HTTP/1.1 answer for a request Node's parser rejected before any route could run
 * (bad framing, unknown method, request timeout): still the JSON envelope, then the socket
 * closes.
 */
export function clientErrorResponse(code: string | undefined): string {
  const [status, errorCode, message] = CLIENT_ERRORS[code ?? ''] ?? [
    400,
    'INVALID_REQUEST',
    'malformed request',
  ];
  const body = JSON.stringify({ error: { code: errorCode, message } });
  const reason =
    status === 405
      ? 'Method Not Allowed'
      : status === 431
        ? 'Request Header Fields Too Large'
        : 'Bad Request';
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
    body
  );
}
