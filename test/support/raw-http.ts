/**
 * A raw HTTP/1.1 client over node:net for transport tests: sends exact bytes (bad framing,
 * missing Host, chunked bodies) and reports what came back and whether the server closed the
 * connection — things `fetch` and `inject` hide.
 */
import { connect, type Socket } from 'node:net';

export interface RawResult {
  text: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  closedByServer: boolean;
}

export function parseRaw(text: string, closedByServer: boolean): RawResult {
  const cut = text.indexOf('\r\n\r\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1] ?? 0);
  return { text, status, headers, body: cut < 0 ? '' : text.slice(cut + 4), closedByServer };
}

/**
 * Sends `request` and resolves after the first complete response (by Content-Length) plus
 * `settleMs` to see whether the server closes, or when the server closes, or at `deadlineMs`.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  options: { settleMs?: number; deadlineMs?: number; headOnly?: boolean } = {},
): Promise<RawResult> {
  const settleMs = options.settleMs ?? 300;
  const deadlineMs = options.deadlineMs ?? 5_000;
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    let settle: NodeJS.Timeout | undefined;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(settle);
      clearTimeout(deadline);
      socket.destroy();
      resolve(parseRaw(text, closed));
    };
    const deadline = setTimeout(() => finish(false), deadlineMs);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const parsed = parseRaw(text, false);
      const length = Number(parsed.headers['content-length'] ?? -1);
      const complete =
        text.includes('\r\n\r\n') &&
        (options.headOnly === true || length < 0 || Buffer.byteLength(parsed.body) >= length);
      if (complete && settle === undefined) settle = setTimeout(() => finish(false), settleMs);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(request);
  });
}
