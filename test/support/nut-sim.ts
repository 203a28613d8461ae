/**
 * Test helpers around the embedded NUT simulator: start one with a few UPSes from the fixture
 * scenarios, make throwaway TLS material with openssl, and poll a condition with a deadline.
 * Everything started here is stopped by the returned `stop()` (call it in `after`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NutSimServer, type NutSimServerOptions } from '../../src/demo/index.js';
import { waitFor as pollUntil } from './wait.js';

export const SCENARIO_DIR = join(import.meta.dirname, '..', 'fixtures', 'nut-scenarios');

/** Reads a `dummy-ups` `.dev` fixture (`name: value` lines) into a variable map. */
export function loadScenario(name: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(join(SCENARIO_DIR, `${name}.dev`), 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.trimStart().startsWith('#')) continue;
    vars[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return vars;
}

export interface RunningSim {
  sim: NutSimServer;
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts a simulator serving `upses` (UPS name → fixture scenario name). */
export async function startSim(
  upses: Record<string, string>,
  opts: NutSimServerOptions = {},
): Promise<RunningSim> {
  const sim = new NutSimServer(opts);
  for (const [ups, scenario] of Object.entries(upses)) sim.setVars(ups, loadScenario(scenario));
  const { host, port } = await sim.start();
  return { sim, host, port, stop: () => sim.stop() };
}

/** The shared polling wait (support/wait.ts), with the fast poll the simulator tests use. */
export function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return pollUntil(check, timeoutMs, what, 20);
}

export interface TlsMaterial {
  dir: string;
  caFile: string;
  key: Buffer;
  cert: Buffer;
  /** A CA that did not sign the server certificate. */
  otherCaFile: string;
  cleanup(): void;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost, made with openssl. */
export function makeTlsMaterial(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'eneru-nut-tls-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  try {
    for (const ca of ['ca', 'other-ca']) {
      ssl(
        'req',
        '-x509',
        ...EC_KEY,
        '-days',
        '2',
        '-subj',
        `/CN=eneru test ${ca}`,
        '-keyout',
        `${ca}.key`,
        '-out',
        `${ca}.crt`,
      );
    }
    ssl('req', ...EC_KEY, '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.crt',
    );
    return {
      dir,
      caFile: join(dir, 'ca.crt'),
      otherCaFile: join(dir, 'other-ca.crt'),
      key: readFileSync(join(dir, 'server.key')),
      cert: readFileSync(join(dir, 'server.crt')),
      cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}
