/**
 * Test harness running a REAL NUT server: Debian's `/lib/nut/upsd` plus one `dummy-ups` driver
 * per UPS, in a private temp dir on a free loopback port (testing-notes.md "NUT"). Scenario
 * switches follow the dummy-ups rule (temp file, mtime a whole second different, rename) and
 * wait until upsd serves the new values. Every process is tracked by PID and stopped by
 * `stop()` — call it in an `after` hook; a process-exit hook kills leftovers if a test crashes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { quote } from '../../src/nut/index.js';
import { SCENARIO_DIR, loadScenario, waitFor } from './nut-sim.js';
import {
  canConnect,
  freePort,
  nutGid,
  nutUid,
  parseUpsc,
  servedVars,
  signal,
  upsc,
} from './upsd-tools.js';

export { DRIVER_OWNED_VARS, freePort, servedVars, upsc } from './upsd-tools.js';

const UPSD = '/lib/nut/upsd';
const DUMMY_UPS = '/lib/nut/dummy-ups';

export interface UpsdOptions {
  /** UPS name → fixture scenario name (`test/fixtures/nut-scenarios/<name>.dev`). */
  upses: Record<string, string>;
  /** upsd MAXAGE: seconds without driver updates before `ERR DATA-STALE` (default 5). */
  maxAgeSec?: number;
}

export interface UpsdHarness {
  host: string;
  port: number;
  dir: string;
  /** Users in upsd.users: admin (SET, all instcmds) and monitor (upsmon primary). */
  users: {
    admin: { username: string; password: string };
    monitor: { username: string; password: string };
  };
  switchScenario(
    ups: string,
    scenario: string | Record<string, string>,
    timeoutMs?: number,
  ): Promise<void>;
  waitForStatus(ups: string, status: string, timeoutMs?: number): Promise<void>;
  /** Waits until `upsc` reports an error for the UPS matching `pattern` (e.g. /Data stale/). */
  waitForError(ups: string, pattern: RegExp, timeoutMs?: number): Promise<void>;
  killDriver(ups: string): Promise<void>;
  startDriver(ups: string): Promise<void>;
  stopDriver(ups: string): void;
  contDriver(ups: string): void;
  restartUpsd(): Promise<void>;
  /** Stops upsd only (the port stays known for a later `startUpsdAgain`). */
  stopUpsd(): Promise<void>;
  startUpsdAgain(): Promise<void>;
  upsdPid(): number | null;
  stop(): Promise<void>;
}

export const UPSD_ADMIN = { username: 'admin', password: 'testpass' };
export const UPSD_MONITOR = { username: 'monitor', password: 'monpass' };

export async function startUpsd(opts: UpsdOptions): Promise<UpsdHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'eneru-upsd-'));
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir);
  const runAs = process.getuid?.() === 0 ? 'nut' : userInfo().username;
  const port = await freePort();
  const host = '127.0.0.1';
  const env = {
    ...process.env,
    NUT_CONFPATH: dir,
    NUT_STATEPATH: stateDir,
    NUT_ALTPIDPATH: stateDir,
  };
  const drivers = new Map<string, ChildProcess>();
  let upsd: ChildProcess | null = null;
  const target = (ups: string): string => `${ups}@${host}:${port}`;
  /** The variables each UPS should serve (its .dev file), to know when upsd is ready. */
  const expected = new Map<string, Record<string, string>>();
  const stopped = new Set<string>();
  const devFile = (ups: string): string => join(dir, `${ups}.dev`);

  writeFileSync(join(dir, 'nut.conf'), 'MODE=standalone\n');
  writeFileSync(
    join(dir, 'ups.conf'),
    Object.keys(opts.upses)
      .map(
        (ups) =>
          `[${ups}]\n  driver = dummy-ups\n  port = ${devFile(ups)}\n  pollinterval = 1\n  desc = "eneru test ${ups}"\n`,
      )
      .join('\n'),
  );
  writeFileSync(
    join(dir, 'upsd.conf'),
    `LISTEN ${host} ${port}\nMAXAGE ${opts.maxAgeSec ?? 5}\nSTATEPATH ${stateDir}\n`,
  );
  writeFileSync(
    join(dir, 'upsd.users'),
    `[${UPSD_ADMIN.username}]\n  password = ${UPSD_ADMIN.password}\n  actions = SET\n  instcmds = ALL\n\n` +
      `[${UPSD_MONITOR.username}]\n  password = ${UPSD_MONITOR.password}\n  upsmon primary\n`,
    { mode: 0o640 },
  );
  for (const [ups, scenario] of Object.entries(opts.upses)) {
    writeFileSync(devFile(ups), readFileSync(join(SCENARIO_DIR, `${scenario}.dev`)));
    expected.set(ups, servedVars(loadScenario(scenario)));
  }
  if (process.getuid?.() === 0) {
    for (const path of [
      dir,
      stateDir,
      join(dir, 'upsd.users'),
      join(dir, 'ups.conf'),
      join(dir, 'upsd.conf'),
      join(dir, 'nut.conf'),
    ]) {
      chownSync(path, nutUid(), nutGid());
    }
  }

  const spawnLogged = (name: string, command: string, args: string[]): ChildProcess => {
    const log = openSync(join(dir, `${name}.log`), 'a');
    try {
      const child = spawn(command, args, { env, stdio: ['ignore', log, log] });
      // A leftover server must never keep the test process alive: the exit hook kills it.
      child.unref();
      return child;
    } finally {
      closeSync(log);
    }
  };

  const onExit = (): void => {
    for (const child of [...drivers.values(), upsd]) {
      if (child?.pid && child.exitCode === null && child.signalCode === null) {
        signal(child.pid, 'SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  const startDriver = async (ups: string): Promise<void> => {
    const socket = join(stateDir, `dummy-ups-${ups}`);
    rmSync(socket, { force: true });
    const child = spawnLogged(`driver-${ups}`, DUMMY_UPS, ['-a', ups, '-u', runAs, '-F']);
    drivers.set(ups, child);
    await waitFor(
      () => existsSync(socket) || child.exitCode !== null,
      10_000,
      `dummy-ups ${ups} socket`,
    );
    if (child.exitCode !== null)
      throw new Error(
        `dummy-ups ${ups} exited with ${child.exitCode}: ${readLog(`driver-${ups}`)}`,
      );
    stopped.delete(ups);
    if (upsd) await waitForVars(ups, expected.get(ups) ?? {}, 20_000);
  };

  const startUpsdProcess = async (): Promise<void> => {
    const child = spawnLogged('upsd', UPSD, ['-u', runAs, '-F']);
    upsd = child;
    await waitFor(
      async () => child.exitCode !== null || (await canConnect(host, port)),
      10_000,
      'upsd to listen',
    );
    if (child.exitCode !== null)
      throw new Error(`upsd exited with ${child.exitCode}: ${readLog('upsd')}`);
    // Right after a start upsd serves `ups.status: WAIT` until each driver has dumped its state.
    for (const ups of drivers.keys()) {
      if (!stopped.has(ups)) await waitForVars(ups, expected.get(ups) ?? {}, 20_000);
    }
  };

  const readLog = (name: string): string => {
    const path = join(dir, `${name}.log`);
    return existsSync(path) ? readFileSync(path, 'utf8').slice(-2000) : '';
  };

  const readVars = async (ups: string): Promise<Record<string, string> | null> => {
    try {
      return parseUpsc(await upsc([target(ups)]));
    } catch {
      return null;
    }
  };

  const waitForVars = async (
    ups: string,
    expected: Record<string, string>,
    timeoutMs: number,
  ): Promise<void> => {
    let last: Record<string, string> | null = null;
    try {
      await waitFor(
        async () => {
          last = await readVars(ups);
          return last !== null && Object.entries(expected).every(([k, v]) => last?.[k] === v);
        },
        timeoutMs,
        `upsd to serve the expected variables of ${ups}`,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`, {
        cause: err,
      });
    }
  };

  const stopChild = async (child: ChildProcess | null | undefined): Promise<void> => {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.ref(); // wait for this exit even if nothing else keeps the event loop busy
    signal(child.pid, 'SIGCONT');
    signal(child.pid, 'SIGTERM');
    const timer = setTimeout(() => signal(child.pid as number, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  const harness: UpsdHarness = {
    host,
    port,
    dir,
    users: { admin: UPSD_ADMIN, monitor: UPSD_MONITOR },
    async switchScenario(ups, scenario, timeoutMs = 15_000) {
      const vars = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
      const file = devFile(ups);
      const tmp = `${file}.tmp`;
      writeFileSync(
        tmp,
        Object.entries(vars)
          .map(([k, v]) => `${k}: ${quote(v)}`)
          .join('\n') + '\n',
      );
      // dummy-ups only notices whole-second mtime changes: make the new file's mtime differ.
      const currentSec = Math.floor(statSync(file).mtimeMs / 1000);
      const nextSec = Math.max(Math.floor(Date.now() / 1000), currentSec + 1);
      utimesSync(tmp, nextSec, nextSec);
      renameSync(tmp, file);
      // dummy-ups merges: variables the new file does not name keep their old values.
      expected.set(ups, { ...expected.get(ups), ...servedVars(vars) });
      await waitForVars(ups, servedVars(vars), timeoutMs);
    },
    async waitForStatus(ups, status, timeoutMs = 15_000) {
      await waitForVars(ups, { 'ups.status': status }, timeoutMs);
    },
    async waitForError(ups, pattern, timeoutMs = 15_000) {
      await waitFor(
        async () => {
          try {
            await upsc([target(ups), 'ups.status']);
            return false;
          } catch (err) {
            return pattern.test((err as Error).message);
          }
        },
        timeoutMs,
        `upsc to report ${pattern} for ${ups}`,
      );
    },
    async killDriver(ups) {
      await stopChild(drivers.get(ups));
      drivers.delete(ups);
    },
    startDriver,
    stopDriver(ups) {
      const pid = drivers.get(ups)?.pid;
      if (pid) signal(pid, 'SIGSTOP');
      stopped.add(ups);
    },
    contDriver(ups) {
      const pid = drivers.get(ups)?.pid;
      if (pid) signal(pid, 'SIGCONT');
      stopped.delete(ups);
    },
    async restartUpsd() {
      await stopChild(upsd);
      await startUpsdProcess();
    },
    async stopUpsd() {
      await stopChild(upsd);
      upsd = null;
    },
    startUpsdAgain: startUpsdProcess,
    upsdPid: () => upsd?.pid ?? null,
    async stop() {
      await stopChild(upsd);
      for (const child of drivers.values()) await stopChild(child);
      drivers.clear();
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    for (const ups of Object.keys(opts.upses)) await startDriver(ups);
    await startUpsdProcess();
  } catch (err) {
    await harness.stop();
    throw err;
  }
  return harness;
}
