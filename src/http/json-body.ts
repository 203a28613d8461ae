/**
 * Request-body rules of observability §3.1 for routes that read a body: Content-Length framing
 * only, at most 64 KiB, empty means `{}`, and the body must be a JSON object. The Content-Type
 * is ignored, as in the original.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, badRequest } from './errors.js';

export const BODY_LIMIT_BYTES = 65_536;

/** True when the request announces a body (non-zero or invalid length, or any Transfer-Encoding). */
export function declaresBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}

/** Rejections that must happen before reading: chunked framing and a bad Content-Length. */
export function checkFraming(headers: IncomingHttpHeaders): void {
  if (headers['transfer-encoding'] !== undefined) {
    throw new HttpError(
      411,
      'LENGTH_REQUIRED',
      'chunked Transfer-Encoding is not supported; send a Content-Length-framed body',
    );
  }
  const length = headers['content-length'];
  if (length === undefined) return;
  if (!/^\d+$/.test(length.trim())) throw badRequest('invalid Content-Length');
  if (Number(length) > BODY_LIMIT_BYTES) {
    throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `body exceeds ${BODY_LIMIT_BYTES} bytes`);
  }
}

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'INVALID_REQUEST', 'body must be valid JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
