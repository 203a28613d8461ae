/**
 * Shared fixtures for the shutdown tests: a logger that records every line (tests assert on the
 * log lines the original's e2e suite greps), an in-memory command executor, and stand-in
 * `virsh` / `docker` / `podman` / `sync` / `umount` / `wall` / `loginctl` / `runuser`
 * executables. Docker and libvirt cannot run on the test machines, so the stand-ins record their
 * argv (one line per call, with a timestamp) and keep just enough state (running VMs, container
 * ids) to drive the phases.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandExecutor, CommandResult } from '../../src/shutdown/index.js';
import type { SshResult } from '../../src/ssh/index.js';

export { RecordingLogger, type LogLine } from './recording-logger.js';

/** A finished ssh call (exit 0, no output, 1 ms) with any field overridden. */
export function sshResult(overrides: Partial<SshResult> = {}): SshResult {
  return {
    exitCode: 0,
    stdout: '',
    stderr: '',
    timedOut: false,
    durationMs: 1,
    error: null,
    ...overrides,
  };
}

/** In-memory executor: records argv, answers from a table (an injected collaborator, not a module mock). */
export class RecordingExecutor implements CommandExecutor {
  calls: string[][] = [];
  constructor(
    private readonly answer: (argv: readonly string[]) => Partial<CommandResult> = () => ({}),
  ) {}
  has(): boolean {
    return true;
  }
  async run(argv: readonly string[]): Promise<CommandResult> {
    this.calls.push([...argv]);
    return { ...sshResult(), notFound: false, ...this.answer(argv) };
  }
}

const RECORD =
  'printf "%s %s\\n" "$(date +%s.%N)" "$(basename "$0") $*" >> "$STANDIN_DIR/argv.log"';

/** sh scripts keyed by tool name; state lives in files under $STANDIN_DIR. */
const SCRIPTS: Record<string, string> = {
  virsh: `${RECORD}
vms="$STANDIN_DIR/vms"
touch "$vms"
case "$1" in
  list) cat "$vms" ;;
  shutdown) [ -f "$STANDIN_DIR/stubborn-$2" ] || { grep -vx "$2" "$vms" > "$vms.tmp"; mv "$vms.tmp" "$vms"; } ;;
  destroy) grep -vx "$2" "$vms" > "$vms.tmp"; mv "$vms.tmp" "$vms" ;;
esac
exit 0`,
  docker: `${RECORD}
case "$1" in
  ps) cat "$STANDIN_DIR/docker-ids" 2>/dev/null ;;
  compose) [ -f "$STANDIN_DIR/compose-fail" ] && { echo "compose failed" >&2; exit 1; } ;;
esac
exit 0`,
  podman: `${RECORD}
case "$1" in
  ps) if [ -n "$XDG_RUNTIME_DIR" ]; then cat "$STANDIN_DIR/podman-user-ids" 2>/dev/null; else cat "$STANDIN_DIR/podman-ids" 2>/dev/null; fi ;;
esac
exit 0`,
  sync: `${RECORD}
exit 0`,
  umount: `${RECORD}
for last in "$@"; do :; done
case "$last" in */fail*) echo "umount: $last: target is busy." >&2; exit 32 ;; esac
exit 0`,
  wall: `${RECORD}
exit 0`,
  loginctl: `${RECORD}
echo "1000 alice no"
echo "0 root no"
exit 0`,
  runuser: `${RECORD}
shift 3
exec "$@"`,
};

export interface StandIns {
  dir: string;
  binDir: string;
  /** Environment for SpawnExecutor: stand-ins first on PATH. */
  env: NodeJS.ProcessEnv;
  /** Recorded calls in order, without timestamps (`virsh list --name --state-running`). */
  calls(): string[];
  /** Recorded calls with their epoch-second timestamps. */
  timedCalls(): { at: number; call: string }[];
  write(name: string, content: string): void;
}

export function createStandIns(tools: string[] = Object.keys(SCRIPTS)): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'eneru-standins-'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  for (const tool of tools) {
    const script = SCRIPTS[tool];
    if (!script) throw new Error(`no stand-in for ${tool}`);
    const path = join(binDir, tool);
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
  }
  const log = join(dir, 'argv.log');
  const timedCalls = (): { at: number; call: string }[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => {
            const space = l.indexOf(' ');
            return { at: Number(l.slice(0, space)), call: l.slice(space + 1).trimEnd() };
          })
      : [];
  return {
    dir,
    binDir,
    // Only the stand-ins and the basic system tools: a real virsh/docker must never be reached.
    env: { ...process.env, PATH: `${binDir}:/usr/bin:/bin`, STANDIN_DIR: dir },
    calls: () => timedCalls().map((c) => c.call),
    timedCalls,
    write: (name, content) => writeFileSync(join(dir, name), content),
  };
}
