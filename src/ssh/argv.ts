/**
 * Builds the argv of one OpenSSH client call (core spec §8.2) for both the shutdown runner and
 * the remote-health probes, so both talk to a server exactly the same way. The result is an
 * argv array (element 0 is `ssh`), never a shell string: nothing the config says can be
 * re-interpreted by a local shell.
 */

/** Where and how to reach one remote server. */
export interface SshTarget {
  host: string;
  user: string;
  /** Optional `-p <port>`; user `ssh_options` given first still win (ssh keeps the first value). */
  port?: number | null;
  connectTimeoutSec: number;
  /** `ssh_key_path`: a non-empty string becomes `-i <path>`. */
  keyPath?: string | null;
  /** `ssh_options` verbatim from the config. */
  sshOptions: string[];
  /** Added as `-o UserKnownHostsFile=<f>` unless the options already set one. */
  knownHostsFile?: string | null;
}

export interface SshArgvOptions {
  /** Prefix the remote command with the PATH augmentation (every shutdown command; not probes). */
  pathPrefix: boolean;
}

/** Bad `ssh_options` / host: the call is refused before anything is spawned. */
export class SshOptionError extends Error {
  readonly code = 'SSH_OPTION_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SshOptionError';
  }
}

/**
 * Appended to the remote PATH so `shutdown`, `virsh`, `docker`, ... resolve under a minimal
 * non-interactive PATH (Synology keeps its tools in /usr/syno/*).
 */
export const REMOTE_PATH_PREFIX =
  'export PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/syno/sbin:/usr/syno/bin"; ';

/** OpenSSH client flags that consume the next argument. */
const VALUE_FLAGS = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

/** Expands `ssh_options` entries into argv elements (core §8.2 option rules). */
export function expandSshOptions(options: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < options.length; index += 1) {
    const raw = options[index];
    if (typeof raw !== 'string') throw new SshOptionError(`ssh_options[${index}] must be a string`);
    const option = raw.trim();
    if (option === '') continue;
    if (!option.startsWith('-')) {
      // A bare `Key=Value` is an ssh_config option.
      out.push('-o', option);
      continue;
    }
    const split = /^(-[A-Za-z])\s+(\S.*)$/.exec(option);
    if (split && split[1] && split[2]) {
      // "-o K=V" / "-i /key" written as one string: ssh wants flag and value as two args.
      out.push(split[1], split[2]);
      continue;
    }
    const flag = /^-([A-Za-z])$/.exec(option)?.[1];
    if (flag && VALUE_FLAGS.has(flag)) {
      const value = options[index + 1];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new SshOptionError(`ssh_options: '${option}' at the end of the list needs a value`);
      }
      out.push(option, value.trim());
      index += 1;
      continue;
    }
    out.push(option);
  }
  return out;
}

function mentions(options: readonly string[], key: string): boolean {
  const needle = key.toLowerCase();
  return options.some((o) => typeof o === 'string' && o.toLowerCase().includes(needle));
}

/** The full argv (`['ssh', ...]`) for running `remoteCommand` on `target`. */
export function buildSshArgv(
  target: SshTarget,
  remoteCommand: string,
  opts: SshArgvOptions,
): string[] {
  const host = target.host.trim();
  const user = target.user.trim();
  if (host === '' || host.startsWith('-') || /\s/.test(host)) {
    throw new SshOptionError(`invalid ssh host ${JSON.stringify(target.host)}`);
  }
  if (user.startsWith('-') || /[\s@]/.test(user)) {
    throw new SshOptionError(`invalid ssh user ${JSON.stringify(target.user)}`);
  }
  if (!Number.isFinite(target.connectTimeoutSec) || target.connectTimeoutSec < 1) {
    throw new SshOptionError(`connect timeout must be >= 1 s, got ${target.connectTimeoutSec}`);
  }
  const argv = ['ssh'];
  if (target.keyPath && target.keyPath.trim() !== '') argv.push('-i', target.keyPath);
  if (target.knownHostsFile && !mentions(target.sshOptions, 'UserKnownHostsFile')) {
    argv.push('-o', `UserKnownHostsFile=${target.knownHostsFile}`);
  }
  if (!mentions(target.sshOptions, 'StrictHostKeyChecking'))
    argv.push('-o', 'StrictHostKeyChecking=accept-new');
  argv.push(...expandSshOptions(target.sshOptions));
  if (target.port !== undefined && target.port !== null) {
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
      throw new SshOptionError(`invalid ssh port ${target.port}`);
    }
    argv.push('-p', String(target.port));
  }
  argv.push('-o', `ConnectTimeout=${Math.floor(target.connectTimeoutSec)}`, '-o', 'BatchMode=yes');
  argv.push(user === '' ? host : `${user}@${host}`);
  argv.push(opts.pathPrefix ? `${REMOTE_PATH_PREFIX}${remoteCommand}` : remoteCommand);
  return argv;
}
