/**
 * Poll-scale benchmark (issue 2): the BUILT daemon (`bin/eneru run`, from dist/) monitors 1, 100
 * and 1000 UPSes served by the embedded NUT simulator at a 1 s check interval. For each size it
 * runs POLL_SCALE_SECONDS (default 60) after a warm-up, samples the daemon's CPU (utime+stime from
 * /proc/<pid>/stat) and RSS (VmRSS from /proc/<pid>/status), and reads the poll-duration
 * histogram `eneru_poll_duration_seconds` from the daemon's /metrics (difference between the
 * end and the start of the window) for p50 / p99. Writes bench/results/poll-scale.md.
 *
 *   npm run build && node --import tsx bench/poll-scale.ts
 *   POLL_SCALE_SECONDS=20 POLL_SCALE_SIZES=1,100 node --import tsx bench/poll-scale.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NutSimServer, powerCutVars, DEMO_PHASES } from '../src/demo/index.js';
import { freePort } from '../test/support/upsd.js';
import {
  parseHistogram,
  quantile,
  subtractHistogram,
  type Histogram,
} from './poll-scale-histogram.js';
import { memoryBreakdown, type MemoryBreakdown } from './poll-scale-memory.js';

const windowSec = Number(process.env.POLL_SCALE_SECONDS ?? '60');
const warmupSec = Number(process.env.POLL_SCALE_WARMUP_SECONDS ?? '10');
const sizes = (process.env.POLL_SCALE_SIZES ?? '1,100,1000').split(',').map(Number);
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s on every mainstream kernel.

interface Result {
  upsCount: number;
  cpuPct: number;
  rssMaxMb: number;
  rssEndMb: number;
  polls: number;
  pollsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  simCpuPct: number;
  simRequests: number;
  bare: BareResult;
  memory: MemoryBreakdown;
}

/** The same polling through a bare NutClient process (bench/poll-scale-client.ts). */
interface BareResult {
  cpuPct: number;
  rssMaxMb: number;
  polls: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function scrape(port: number): Promise<Histogram> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return parseHistogram(await response.text(), 'eneru_poll_duration_seconds');
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function writeConfig(dir: string, simPort: number, apiPort: number, names: string[]): string {
  const path = join(dir, 'config.yaml');
  const lines = [
    'behavior:',
    '  dry_run: true',
    'local_shutdown:',
    '  enabled: false',
    'logging:',
    '  file: null',
    `  state_file: ${join(dir, 'state')}`,
    `  battery_history_file: ${join(dir, 'battery-history')}`,
    `  shutdown_flag_file: ${join(dir, 'shutdown-flag')}`,
    'statistics:',
    `  db_directory: ${join(dir, 'stats')}`,
    'api:',
    '  enabled: true',
    '  bind: 127.0.0.1',
    `  port: ${apiPort}`,
    '  auth:',
    '    enabled: false',
    `    db_path: ${join(dir, 'auth.db')}`,
    'ups:',
    ...names.flatMap((name) => [
      `  - name: "${name}@127.0.0.1:${simPort}"`,
      '    check_interval: 1',
    ]),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

async function runSize(upsCount: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'eneru-poll-scale-'));
  mkdirSync(join(dir, 'stats'));
  const sim = new NutSimServer();
  const names = Array.from({ length: upsCount }, (_, i) => `Bench${i + 1}`);
  const onlineVars = powerCutVars(0, DEMO_PHASES);
  for (const name of names) sim.setVars(name, onlineVars);
  let daemon: ChildProcess | null = null;
  try {
    const { port: simPort } = await sim.start();
    const apiPort = await freePort();
    const config = writeConfig(dir, simPort, apiPort, names);
    // Executed as users run it, so with the Node options of the launcher's shebang line.
    daemon = spawn('bin/eneru', ['run', '-c', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ENERU_DEBUG: '' },
    });
    let stderr = '';
    daemon.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const pid = daemon.pid;
    if (pid === undefined) throw new Error('daemon did not start');
    await waitFor(
      async () => (await scrape(apiPort)).count >= upsCount,
      120_000,
      `first polls of ${upsCount} UPSes`,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; daemon stderr: ${stderr}`);
    });
    await sleep(warmupSec * 1000);

    const start = { ticks: cpuTicks(pid), at: performance.now(), hist: await scrape(apiPort) };
    const simCpuStart = process.cpuUsage();
    const simRequestsStart = sim.requestCount;
    let rssMax = rssMb(pid);
    const deadline = Date.now() + windowSec * 1000;
    while (Date.now() < deadline) {
      await sleep(Math.min(2000, Math.max(0, deadline - Date.now())));
      rssMax = Math.max(rssMax, rssMb(pid));
    }
    const end = { ticks: cpuTicks(pid), at: performance.now(), hist: await scrape(apiPort) };
    const simCpu = process.cpuUsage(simCpuStart);
    const elapsedSec = (end.at - start.at) / 1000;
    const window = subtractHistogram(end.hist, start.hist);
    const rssEndMb = rssMb(pid);
    const memory = memoryBreakdown(pid, realpathSync(process.execPath));
    await stopDaemon(daemon);
    const bare = await runBareClient(simPort, upsCount);
    return {
      bare,
      upsCount,
      cpuPct: ((end.ticks - start.ticks) / CLK_TCK / elapsedSec) * 100,
      rssMaxMb: rssMax,
      rssEndMb,
      memory,
      polls: window.count,
      pollsPerSec: window.count / elapsedSec,
      p50Ms: quantile(window, 0.5) * 1000,
      p99Ms: quantile(window, 0.99) * 1000,
      simCpuPct: ((simCpu.user + simCpu.system) / 1e6 / elapsedSec) * 100,
      simRequests: sim.requestCount - simRequestsStart,
    };
  } finally {
    if (daemon) await stopDaemon(daemon);
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runBareClient(simPort: number, upsCount: number): Promise<BareResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/poll-scale-client.ts',
      String(simPort),
      String(upsCount),
      String(warmupSec + windowSec),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('bare client did not start');
  try {
    await sleep(warmupSec * 1000);
    const start = { ticks: cpuTicks(pid), at: performance.now() };
    let rssMax = rssMb(pid);
    const deadline = Date.now() + (windowSec - 1) * 1000;
    while (Date.now() < deadline) {
      await sleep(Math.min(2000, Math.max(0, deadline - Date.now())));
      rssMax = Math.max(rssMax, rssMb(pid));
    }
    const end = { ticks: cpuTicks(pid), at: performance.now() };
    await exited;
    const summary = JSON.parse(stdout.trim()) as {
      polls: number;
      failures: number;
      p50Ms: number;
      p99Ms: number;
    };
    return {
      cpuPct: ((end.ticks - start.ticks) / CLK_TCK / ((end.at - start.at) / 1000)) * 100,
      rssMaxMb: rssMax,
      ...summary,
    };
  } finally {
    await stopDaemon(child);
  }
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

const results: Result[] = [];
for (const size of sizes) {
  process.stderr.write(
    `poll-scale: ${size} UPS(es), ${warmupSec} s warm-up + ${windowSec} s window...\n`,
  );
  const result = await runSize(size);
  process.stderr.write(`  ${JSON.stringify(result)}\n`);
  results.push(result);
}

const table = [
  '| UPSes | daemon CPU (% of one core) | RSS max / end (MB) | polls/s | poll p50 (ms) | poll p99 (ms) | simulator CPU (%) |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.upsCount} | ${fmt(r.cpuPct)} | ${fmt(r.rssMaxMb, 0)} / ${fmt(r.rssEndMb, 0)} | ${fmt(r.pollsPerSec)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${fmt(r.simCpuPct)} |`,
  ),
];
function verdict(): string {
  const big = results.find((r) => r.upsCount === 1000);
  if (!big) return 'The 1000-UPS size was not part of this run.';
  const cpu = big.cpuPct < 30 ? 'met' : 'missed';
  const rss = big.rssMaxMb < 200 ? 'met' : 'missed';
  return [
    `- CPU: ${cpu} (${fmt(big.cpuPct)} % of one core for 1000 UPSes; the NUT side alone ${fmt(big.bare.cpuPct)} %).`,
    `- RSS: ${rss} (${fmt(big.rssMaxMb, 0)} MB peak, ${fmt(big.rssEndMb, 0)} MB at the end of the window; the`,
    `  bare NUT side of the same load peaks at ${fmt(big.bare.rssMaxMb, 0)} MB). Where it is: see the table below.`,
    `- Poll latency: p50 ${fmt(big.p50Ms, 1)} ms, p99 ${fmt(big.p99Ms, 1)} ms in the daemon (bucket estimates); bare`,
    `  p50 ${fmt(big.bare.p50Ms, 1)} ms, p99 ${fmt(big.bare.p99Ms, 1)} ms (exact, warm-up included: at start all loops fire`,
    '  at once and queue on the one connection, one request at a time, until they spread out).',
  ].join('\n');
}

const memoryTable = [
  '| UPSes | Node binary | malloc heap (SQLite) | WAL index maps | anonymous (V8 heap, stacks) | other | total |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(({ upsCount, memory: m }) => {
    const total = m.nodeBinaryMb + m.mallocHeapMb + m.walIndexMb + m.anonymousMb + m.otherMb;
    return `| ${upsCount} | ${fmt(m.nodeBinaryMb)} | ${fmt(m.mallocHeapMb)} | ${fmt(m.walIndexMb)} | ${fmt(m.anonymousMb)} | ${fmt(m.otherMb)} | ${fmt(total)} |`;
  }),
];

const bareTable = [
  '| UPSes | CPU (% of one core) | RSS max (MB) | polls | failed | poll p50 (ms) | poll p99 (ms) |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.upsCount} | ${fmt(r.bare.cpuPct)} | ${fmt(r.bare.rssMaxMb, 0)} | ${r.bare.polls} | ${r.bare.failures} | ${fmt(r.bare.p50Ms, 2)} | ${fmt(r.bare.p99Ms, 2)} |`,
  ),
];
const report = `# Poll-scale benchmark

\`node --import tsx bench/poll-scale.ts\` (after \`npm run build\`): the built daemon
(\`bin/eneru run -c <config>\`, executed directly, so with the Node options of its shebang line)
monitors N UPSes served by the embedded NUT simulator (\`src/demo/\`, one upsd endpoint, so one
shared TCP connection), \`check_interval: 1\`, dry-run,
local shutdown disabled, statistics in a temp dir (one SQLite file per UPS), no log file, API on
for \`/metrics\`. After the first poll of every UPS and a ${warmupSec} s warm-up, a ${windowSec} s
window is measured: CPU from \`/proc/<pid>/stat\` (utime + stime), RSS from \`/proc/<pid>/status\`
(VmRSS, sampled every 2 s), poll latency from the daemon's \`eneru_poll_duration_seconds\`
histogram (end minus start of the window; quantiles interpolated inside buckets
0.005/0.01/0.025/0.05/0.1/0.25/0.5/1 s..., so they are bucket-resolution estimates). The
simulator runs in the benchmark process; its CPU is shown separately.

Machine: ${machine()}. Shared with other jobs while measured, so treat CPU figures as upper bounds.
Measured ${new Date().toISOString()}.

${table.join('\n')}

## The NUT side alone

The same polling (one shared \`NutClient\`, one \`LIST VAR\` per UPS per second, sleep after the
poll) in a bare process (\`bench/poll-scale-client.ts\`: no domain, statistics, API or logging),
against the same simulator. Latencies are exact (measured per request, warm-up included).

${bareTable.join('\n')}

## Against the target

Target: 1000 UPSes under 30 % of one core and under 200 MB RSS.

${verdict()}

## Where the memory is

Resident MB of the daemon at the end of the window, from \`/proc/<pid>/smaps\`
(\`bench/poll-scale-memory.ts\`): the Node binary's mapped pages (shared with other Node
processes, but counted in RSS), the malloc heap (SQLite's memory and other native allocations),
the WAL index maps (32 KiB per open statistics database), anonymous maps (the V8 heap, thread
arenas and stacks) and the rest (shared libraries, native addons).

${memoryTable.join('\n')}
`;
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/poll-scale.md', report);
process.stdout.write(report);
