/**
 * End to end: remote SSH health through the built `eneru run --api` against a real upsd and a
 * real sshd on loopback. The daemon's probe interval cannot go below 60 s (and there is no
 * test-only config key), so each phase is one daemon start whose `startup_check` pass is
 * observed: HEALTHY while sshd runs; after sshd is stopped DEGRADED (threshold 2) and FAILED
 * (threshold 1, exactly one failure event and one notification). An unsafe probe_command keeps
 * the daemon from starting before any SSH login. The known-hosts file is given through
 * ENERU_SSH_KNOWN_HOSTS_FILE. The UPS stays on line and dry-run is on, so no shutdown command
 * can ever run. (Transitions across passes and recovery are covered by the integration test
 * remote-health-sshd.test.ts, which can shorten the interval.)
 */
import { after, before, describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { writeE2eConfig } from '../support/e2e-config.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const STEP_TIMEOUT_MS = 30_000;

interface HealthRow {
  group: string;
  server: string;
  host: string;
  user: string;
  status: string;
  consecutive_failures: number;
  latency_ms: number | null;
  last_error: string | null;
  last_success_at: number | null;
}

interface Run {
  daemon: DaemonProcess;
  dir: string;
  base: string;
}

describe('eneru run with remote_health against real upsd and sshd', { timeout: 180_000 }, () => {
  let upsd: UpsdHarness;
  let sshd: SshdHandle;
  let sshOptions: string[] = [];
  let knownHostsFile = '';
  let sshUser = '';
  let root: string;
  const runs: Run[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'eneru-e2e-health-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging' } });
    sshd = await startSshd();
    // The known-hosts file comes from ENERU_SSH_KNOWN_HOSTS_FILE (the daemon's container hook)
    // instead of ssh_options, so the env wiring is covered too.
    sshOptions = sshd.sshOptions.filter((option) => !option.includes('UserKnownHostsFile'));
    knownHostsFile = join(root, 'known_hosts');
    sshUser = sshd.user;
  });

  after(async () => {
    for (const run of runs) await run.daemon.stop('SIGKILL');
    await sshd?.stop();
    await upsd?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  function writeConfig(dir: string, failureThreshold: number, probeCommand = 'true'): string {
    return writeE2eConfig(
      dir,
      [
        'ups:',
        `  name: "TestUPS@127.0.0.1:${upsd.port}"`,
        '  display_name: "Rack"',
        '  check_interval: 1',
      ],
      [
        'remote_health:',
        '  enabled: true',
        '  startup_check: true',
        '  interval: 60',
        `  failure_threshold: ${failureThreshold}`,
        `  probe_command: ${JSON.stringify(probeCommand)}`,
        'remote_servers:',
        '  - name: "nas"',
        '    host: "127.0.0.1"',
        `    user: "${sshUser}"`,
        '    enabled: true',
        '    connect_timeout: 5',
        `    ssh_options: [${sshOptions.map((o) => JSON.stringify(o)).join(', ')}]`,
      ],
    );
  }

  async function startDaemon(failureThreshold: number): Promise<Run> {
    const dir = mkdtempSync(join(root, 'run-'));
    const apiPort = await freePort();
    const config = writeConfig(dir, failureThreshold);
    const daemon = spawnEneru(['run', '-c', config, '--api', '--api-port', String(apiPort)], {
      ENERU_SSH_KNOWN_HOSTS_FILE: knownHostsFile,
    });
    const run = { daemon, dir, base: `http://127.0.0.1:${apiPort}` };
    runs.push(run);
    await daemon.waitForOutput(/API server listening on 127\.0\.0\.1:/, STEP_TIMEOUT_MS);
    return run;
  }

  function sshLogins(): number {
    return (readFileSync(sshd.logPath, 'utf8').match(/Accepted publickey/g) ?? []).length;
  }

  async function rowWhen(run: Run, status: string): Promise<HealthRow> {
    let row: HealthRow | undefined;
    await waitFor(
      async () => {
        const body = (await (await fetch(`${run.base}/api/v1/remote-health`)).json()) as {
          servers: HealthRow[];
        };
        row = body.servers.find((r) => r.server === 'nas');
        return row?.status === status;
      },
      STEP_TIMEOUT_MS,
      () => `remote-health row ${status} (last: ${JSON.stringify(row)})`,
    );
    return row as HealthRow;
  }

  async function metrics(run: Run): Promise<string> {
    const response = await fetch(`${run.base}/metrics`);
    assert.equal(response.status, 200);
    return response.text();
  }

  function metricLine(text: string, name: string, extra: RegExp): string | undefined {
    return text
      .split('\n')
      .find((line) => line.startsWith(`${name}{`) && /server="nas"/.test(line) && extra.test(line));
  }

  async function stopAndReadEvents(run: Run): Promise<{ type: string; notified: number }[]> {
    assert.equal(await run.daemon.stop('SIGTERM'), 0, 'graceful stop');
    assert.ok(!existsSync(join(run.dir, 'local-shutdown-marker')), 'no shutdown ran');
    const db = new Database(join(run.dir, 'stats', 'default.db'), { readonly: true });
    try {
      return db
        .prepare('SELECT event_type AS type, notification_sent AS notified FROM events ORDER BY id')
        .all() as { type: string; notified: number }[];
    } finally {
      db.close();
    }
  }

  test('startup check against a running sshd: HEALTHY in the API and in /metrics', async () => {
    const run = await startDaemon(2);
    const row = await rowWhen(run, 'HEALTHY');
    assert.equal(row.group, 'Rack');
    assert.equal(row.host, '127.0.0.1');
    assert.equal(row.user, sshUser);
    assert.equal(row.consecutive_failures, 0);
    assert.equal(row.last_error, null);
    assert.equal(typeof row.latency_ms, 'number');
    assert.equal(typeof row.last_success_at, 'number');

    const ups = (await (await fetch(`${run.base}/api/v1/ups`)).json()) as {
      ups: { remoteHealth: HealthRow[] }[];
    };
    assert.equal(ups.ups[0]?.remoteHealth[0]?.status, 'HEALTHY', 'remoteHealth in /api/v1/ups');

    const text = await metrics(run);
    const status = metricLine(text, 'eneru_remote_health_status', /status="HEALTHY"/);
    assert.ok(status?.endsWith(' 1'), `HEALTHY status gauge: ${status}`);
    const failures = metricLine(text, 'eneru_remote_health_consecutive_failures', /./);
    assert.ok(failures?.endsWith(' 0'), `consecutive failures gauge: ${failures}`);

    assert.ok(sshLogins() >= 1, 'the probe logged in to the real sshd');
    // ssh may hash host names (Debian's HashKnownHosts), so ask ssh-keygen to look it up.
    const found = execFileSync(
      'ssh-keygen',
      ['-F', `[127.0.0.1]:${sshd.port}`, '-f', knownHostsFile],
      {
        encoding: 'utf8',
      },
    );
    assert.match(found, /ssh-ed25519 /, 'host key accepted into ENERU_SSH_KNOWN_HOSTS_FILE');

    const sidecar = JSON.parse(
      readFileSync(join(run.dir, 'ups-monitor.state.remote-health.json'), 'utf8'),
    ) as { group: string; servers: HealthRow[] };
    assert.equal(sidecar.group, 'Rack');
    assert.equal(sidecar.servers[0]?.status, 'HEALTHY', 'the sidecar file has the row');

    const events = await stopAndReadEvents(run);
    const health = events.filter((e) => e.type.startsWith('REMOTE_HEALTH_'));
    assert.deepEqual(health, [], 'the UNKNOWN → HEALTHY baseline records nothing');
  });

  test('an unsafe probe_command is refused before any SSH session', async () => {
    const loginsBefore = sshLogins();
    const dir = mkdtempSync(join(root, 'unsafe-'));
    const daemon = spawnEneru(['run', '-c', writeConfig(dir, 2, 'systemctl poweroff')]);
    runs.push({ daemon, dir, base: '' });
    const code = await daemon.exited;
    assert.notEqual(code, 0, 'the daemon does not start');
    assert.match(
      [...daemon.stdout, ...daemon.stderr].join('\n'),
      /remote_health\.probe_command' is not a safe probe command/,
    );
    assert.equal(sshLogins(), loginsBefore, 'no SSH login happened');
    assert.ok(!existsSync(join(dir, 'local-shutdown-marker')), 'no shutdown ran');
  });

  test('sshd stopped, failure_threshold 2: the startup check leaves the server DEGRADED', async () => {
    await sshd.stop();
    const run = await startDaemon(2);
    const row = await rowWhen(run, 'DEGRADED');
    assert.equal(row.consecutive_failures, 1);
    assert.match(row.last_error ?? '', /refused|closed|port/i, 'ssh error reported');
    assert.equal(row.latency_ms, null);

    const text = await metrics(run);
    const status = metricLine(text, 'eneru_remote_health_status', /status="DEGRADED"/);
    assert.ok(status?.endsWith(' 1'), `DEGRADED status gauge: ${status}`);
    const failures = metricLine(text, 'eneru_remote_health_consecutive_failures', /./);
    assert.ok(failures?.endsWith(' 1'), `consecutive failures gauge: ${failures}`);
    const logged = await run.daemon.waitForRecord(
      (r) => r.event_type === 'REMOTE_HEALTH_DEGRADED',
      STEP_TIMEOUT_MS,
      'REMOTE_HEALTH_DEGRADED log line',
    );
    assert.equal(logged.category, 'health');
    assert.equal(logged.server, 'nas');

    const events = await stopAndReadEvents(run);
    const health = events.filter((e) => e.type.startsWith('REMOTE_HEALTH_'));
    assert.deepEqual(
      health.map((e) => e.type),
      ['REMOTE_HEALTH_DEGRADED'],
    );
    assert.equal(health[0]?.notified, 0, 'DEGRADED sends no notification');
  });

  test('sshd stopped, failure_threshold 1: FAILED with exactly one failure event and notification', async () => {
    const run = await startDaemon(1);
    const row = await rowWhen(run, 'FAILED');
    assert.equal(row.consecutive_failures, 1);
    const text = await metrics(run);
    const status = metricLine(text, 'eneru_remote_health_status', /status="FAILED"/);
    assert.ok(status?.endsWith(' 1'), `FAILED status gauge: ${status}`);
    await run.daemon.waitForRecord(
      (r) => /Notification: Remote SSH Health Failed/.test(r.message),
      STEP_TIMEOUT_MS,
      'the failure notification',
    );

    const records = run.daemon.records();
    const events = await stopAndReadEvents(run);
    const health = events.filter((e) => e.type.startsWith('REMOTE_HEALTH_'));
    assert.deepEqual(
      health.map((e) => e.type),
      ['REMOTE_HEALTH_FAILED'],
      'one failure event',
    );
    assert.equal(health[0]?.notified, 1, 'the FAILED event records its notification');
    const notifications = records.filter((r) => /Notification: Remote SSH Health/.test(r.message));
    assert.equal(notifications.length, 1, 'one notification for the failed period');
    const shutdownEvents = events.filter((e) => /SHUTDOWN/.test(e.type));
    assert.deepEqual(shutdownEvents, [], 'a probe never starts a shutdown');
  });
});
