/**
 * A private OpenSSH server on a free loopback port for integration and e2e tests: throwaway
 * host and user keys in a temp dir, `authorized_keys` for the current user, started with
 * `sshd -D` and stopped by PID (with every session process it forked). One instance stands in
 * for several "remote servers": they differ by name, not by address.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, portAnswers } from './ports.js';
import { killQuietly, stopChild } from './processes.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

export interface SshdHandle {
  port: number;
  dir: string;
  /** Private key the client authenticates with. */
  keyPath: string;
  knownHostsFile: string;
  user: string;
  /** `ssh_options` a remote_servers entry needs to reach this sshd. */
  sshOptions: string[];
  logPath: string;
  stop(): Promise<void>;
}

/** PIDs of every live descendant of `rootPid`, read from /proc. */
function descendants(rootPid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // The process exited while we were reading /proc: it needs no cleanup.
      continue;
    }
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

export async function startSshd(options: { sshdBinary?: string } = {}): Promise<SshdHandle> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'eneru-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const keyPath = join(dir, 'client_ed25519');
  await run('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-f', hostKey]);
  await run('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-f', keyPath]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${keyPath}.pub`), { mode: 0o600 });
  const knownHostsFile = join(dir, 'known_hosts');
  const logPath = join(dir, 'sshd.log');
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt += 1) {
    port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'MaxStartups 100:30:200',
      'MaxSessions 50',
      'LogLevel INFO',
    ].join('\n');
    const configPath = join(dir, 'sshd_config');
    writeFileSync(configPath, `${config}\n`);
    const candidate = spawn(
      options.sshdBinary ?? '/usr/sbin/sshd',
      ['-D', '-f', configPath, '-E', logPath],
      {
        stdio: 'ignore',
      },
    );
    try {
      await waitFor(
        async () => {
          if (candidate.exitCode !== null) throw new Error(`sshd exited (${candidate.exitCode})`);
          return portAnswers(port, (banner) => banner.toString('latin1').startsWith('SSH-'));
        },
        10_000,
        `sshd on port ${port}`,
      );
      child = candidate;
    } catch (error) {
      if (candidate.exitCode === null) candidate.kill('SIGKILL');
      if (attempt === 4) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const sshd = child as ChildProcess;
  const pid = sshd.pid as number;
  return {
    port,
    dir,
    keyPath,
    knownHostsFile,
    user: userInfo().username,
    sshOptions: [
      `-o Port=${port}`,
      `-o UserKnownHostsFile=${knownHostsFile}`,
      `-o IdentityFile=${keyPath}`,
      '-o IdentitiesOnly=yes',
    ],
    logPath,
    async stop(): Promise<void> {
      for (const descendant of descendants(pid)) killQuietly(descendant, 'SIGKILL');
      await stopChild(sshd, 3000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
