/**
 * Small helpers of the real-upsd harness (test/support/upsd.ts): free ports, running `upsc` as an
 * independent client, signalling processes that may already be gone, the `nut` user's ids, and
 * which variables dummy-ups overrides on its own.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

/** Runs `upsc` (an independent NUT client) and returns stdout, or throws with its stderr. */
export function upsc(args: string[], timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'upsc',
      args,
      { timeout: timeoutMs, env: { ...process.env, NUT_QUIET_INIT_SSL: 'true' } },
      (err, stdout, stderr) => {
        if (err)
          reject(new Error(`upsc ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      },
    );
  });
}

export function parseUpsc(stdout: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) vars[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return vars;
}

/**
 * dummy-ups 2.8.0 reports its own `device.mfr` / `device.model` ("Dummy Manufacturer",
 * "Dummy UPS") whatever the .dev file says, so those are not used to detect a switch.
 */
export const DRIVER_OWNED_VARS: ReadonlySet<string> = new Set(['device.mfr', 'device.model']);

export function servedVars(vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter(([name]) => !DRIVER_OWNED_VARS.has(name)));
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function passwdEntry(): string[] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nut:'));
  if (!line) throw new Error('the nut user does not exist (apt-get install nut-server)');
  return line.split(':');
}

export function nutUid(): number {
  return Number(passwdEntry()[2]);
}

export function nutGid(): number {
  return Number(passwdEntry()[3]);
}
