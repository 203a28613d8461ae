/**
 * Opening a ready-to-use session: TCP connect, then STARTTLS (before any credential travels)
 * according to the `tls` mode, then USERNAME / PASSWORD when configured. Kept apart from the
 * request queue so the handshake rules read in one place.
 */
import { readFile } from 'node:fs/promises';
import { NutError } from './errors.js';
import { NutConnection } from './connection.js';
import { encodeCommand } from './protocol.js';
import { expectOk } from './replies.js';

export type NutTlsMode = 'off' | 'opportunistic' | 'required';

export interface SessionOptions {
  host: string;
  port: number;
  endpoint: string;
  tls: NutTlsMode;
  caFile?: string | null;
  certFingerprint?: string | null;
  username?: string | null;
  password?: string | null;
  onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Opens a connection and runs the handshake; on any failure the socket is destroyed. */
export async function openSession(
  opts: SessionOptions,
  signal: AbortSignal,
): Promise<NutConnection> {
  const conn = await NutConnection.open(opts.host, opts.port, opts.endpoint, signal);
  try {
    if (opts.tls !== 'off') await startTls(conn, opts, signal);
    if (opts.username) {
      const user = `${opts.endpoint}, USERNAME`;
      expectOk(
        await conn.exchange(encodeCommand(['USERNAME', opts.username]), 'line', signal),
        user,
      );
      if (opts.password) {
        const pass = `${opts.endpoint}, PASSWORD`;
        expectOk(
          await conn.exchange(encodeCommand(['PASSWORD', opts.password]), 'line', signal),
          pass,
        );
      }
    }
    return conn;
  } catch (err) {
    await conn.destroy();
    throw err;
  }
}

async function startTls(
  conn: NutConnection,
  opts: SessionOptions,
  signal: AbortSignal,
): Promise<void> {
  const where = `${opts.endpoint}, STARTTLS`;
  const ca = opts.caFile ? await readCa(opts.caFile, opts.endpoint) : null;
  const reply = await conn.exchange(encodeCommand(['STARTTLS']), 'line', signal);
  try {
    expectOk(reply, where);
  } catch (err) {
    const refused = err instanceof NutError && err.fromServer;
    if (refused && opts.tls === 'opportunistic') {
      opts.onLog?.(
        'info',
        `upsd at ${opts.endpoint} does not offer TLS (${err.code}); continuing in plaintext (nut.tls: opportunistic)`,
      );
      return;
    }
    const detail = err instanceof Error ? err.message : String(err);
    throw new NutError('TLS', `TLS is required (nut.tls: required) but ${detail}`, { cause: err });
  }
  await conn.upgradeTls(opts.host, { ca, fingerprint256: opts.certFingerprint ?? null }, signal);
  opts.onLog?.('debug', `TLS established with upsd at ${opts.endpoint}`);
}

async function readCa(path: string, endpoint: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new NutError('TLS', `cannot read nut.ca_file '${path}' for ${endpoint}: ${detail}`, {
      cause: err,
    });
  }
}
