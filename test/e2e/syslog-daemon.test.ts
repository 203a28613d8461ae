/**
 * End to end: the built `eneru run` with `logging.syslog` on, against a real upsd, received by
 * listeners in the test (UDP, TCP and a UNIX datagram socket). A power cut must reach syslog as the
 * `POWER EVENT: ON_BATTERY` line with the configured facility and warning severity, in RFC 3164
 * by default and with `event_type="ON_BATTERY"` structured data in RFC 5424; ordinary lines keep
 * their own severity (info). A local socket that only appears after startup is picked up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';
import {
  parse3164,
  parse5424,
  tcpReceiver,
  udpReceiver,
  unixDgramReceiver,
  type Receiver,
} from '../support/syslog-receiver.js';

const STEP_TIMEOUT_MS = 30_000;
const DAEMON = 3;
const LOCAL3 = 19;
const WARNING = 4;
const INFO = 6;

interface SyslogSettings {
  address: string;
  port?: number;
  facility: string;
  format?: 'rfc3164' | 'rfc5424';
  protocol?: 'udp' | 'tcp';
  logFormat: 'text' | 'json';
  /** Multi-UPS mode: TestUPS ("Rack A", local) and Spare ("Rack B"). */
  multi?: boolean;
}

describe('eneru run with logging.syslog against real upsd', { timeout: 180_000 }, () => {
  let upsd: UpsdHarness;
  let root: string;
  const daemons: DaemonProcess[] = [];
  const receivers: Receiver[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'eneru-e2e-syslog-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging', Spare: 'online-charging' } });
  });

  after(async () => {
    for (const daemon of daemons) await daemon.stop('SIGKILL');
    for (const receiver of receivers) await receiver.stop();
    await upsd?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  function writeConfig(dir: string, syslog: SyslogSettings): string {
    const path = join(dir, 'config.yaml');
    writeFileSync(
      path,
      [
        ...(syslog.multi
          ? [
              'ups:',
              `  - name: "TestUPS@127.0.0.1:${upsd.port}"`,
              '    display_name: "Rack A"',
              '    is_local: true',
              '    check_interval: 1',
              `  - name: "Spare@127.0.0.1:${upsd.port}"`,
              '    display_name: "Rack B"',
              '    check_interval: 1',
            ]
          : [
              'ups:',
              `  name: "TestUPS@127.0.0.1:${upsd.port}"`,
              '  display_name: "Rack A"',
              '  check_interval: 1',
            ]),
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        '  extended_time:',
        '    enabled: false',
        'behavior:',
        '  dry_run: true',
        'local_shutdown:',
        '  enabled: true',
        `  command: "touch ${join(dir, 'local-shutdown-marker')}"`,
        'logging:',
        `  format: ${syslog.logFormat}`,
        `  file: "${join(dir, 'eneru.log')}"`,
        `  state_file: "${join(dir, 'ups-monitor.state')}"`,
        `  battery_history_file: "${join(dir, 'battery-history')}"`,
        `  shutdown_flag_file: "${join(dir, 'shutdown-flag')}"`,
        '  syslog:',
        '    enabled: true',
        `    address: "${syslog.address}"`,
        ...(syslog.port === undefined ? [] : [`    port: ${syslog.port}`]),
        `    facility: ${syslog.facility}`,
        ...(syslog.format ? [`    format: ${syslog.format}`] : []),
        ...(syslog.protocol ? [`    protocol: ${syslog.protocol}`] : []),
        'statistics:',
        `  db_directory: "${join(dir, 'stats')}"`,
        '',
      ].join('\n'),
    );
    return path;
  }

  /** Starts a daemon, cuts the power and waits for the ON_BATTERY line at the receiver. */
  async function powerCutThrough(receiver: Receiver, syslog: SyslogSettings): Promise<number> {
    await upsd.switchScenario('TestUPS', 'online-charging');
    const dir = mkdtempSync(join(root, 'run-'));
    const daemon = spawnEneru(['run', '-c', writeConfig(dir, syslog)]);
    daemons.push(daemon);
    await waitFor(
      () => receiver.messages.some((m) => /started/i.test(m)),
      STEP_TIMEOUT_MS,
      () => `the start line at the receiver; daemon said:\n${daemon.stdout.slice(-10).join('\n')}`,
    );
    await upsd.switchScenario('TestUPS', 'on-battery');
    await waitFor(
      () => receiver.messages.some((m) => m.includes('POWER EVENT: ON_BATTERY')),
      STEP_TIMEOUT_MS,
      () =>
        `POWER EVENT: ON_BATTERY at the receiver; got:\n${receiver.messages.slice(-5).join('\n')}`,
    );
    assert.equal(await daemon.stop('SIGTERM'), 0, 'graceful stop');
    return daemon.proc.pid as number;
  }

  test('UDP, RFC 3164: the power event arrives as daemon.warning, other lines as daemon.info', async () => {
    const receiver = await udpReceiver();
    receivers.push(receiver);
    const pid = await powerCutThrough(receiver, {
      address: '127.0.0.1',
      port: receiver.port,
      facility: 'daemon',
      logFormat: 'text',
    });
    const parsed = receiver.messages.map(parse3164);
    const event = parsed.find((m) => m.body.includes('POWER EVENT: ON_BATTERY'));
    assert.ok(event);
    assert.equal(event.pri, DAEMON * 8 + WARNING, 'PRI <28>');
    assert.equal(event.tag, 'eneru');
    assert.equal(event.pid, pid);
    assert.equal(event.hostname, hostname(), 'UDP messages name the host');
    // Single-UPS mode: the text line has no `[group]` prefix (as the original).
    assert.match(
      event.body,
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+ - ⚡ {2}POWER EVENT: ON_BATTERY - Battery: \d+%/,
    );
    const started = parsed.find((m) => /started/i.test(m.body));
    assert.equal(started?.pri, DAEMON * 8 + INFO, 'an ordinary line keeps info severity');
  });

  test('UDP, RFC 5424, multi-UPS: structured data carries event_type, ups and group', async () => {
    const receiver = await udpReceiver();
    receivers.push(receiver);
    const pid = await powerCutThrough(receiver, {
      address: '127.0.0.1',
      port: receiver.port,
      facility: 'local3',
      format: 'rfc5424',
      logFormat: 'json',
      multi: true,
    });
    const parsed = receiver.messages.map(parse5424);
    const event = parsed.find((m) => m.body.includes('POWER EVENT: ON_BATTERY'));
    assert.ok(event);
    assert.equal(event.pri, LOCAL3 * 8 + WARNING, 'local3.warning');
    assert.equal(event.version, 1);
    assert.equal(event.appName, 'eneru');
    assert.equal(event.procId, String(pid));
    assert.equal(event.msgId, 'ON_BATTERY');
    const sd = event.sd['eneru@32473'];
    assert.ok(sd, `eneru@32473 structured data: ${JSON.stringify(event.sd)}`);
    assert.equal(sd.event_type, 'ON_BATTERY');
    assert.equal(sd.category, 'power_event');
    assert.equal(sd.ups, `TestUPS@127.0.0.1:${upsd.port}`);
    assert.equal(sd.group, 'Rack A', 'the UPS label in multi-UPS mode');
    const body = JSON.parse(event.body) as { event_type?: string; level?: string; group?: string };
    assert.equal(body.event_type, 'ON_BATTERY', 'the body is the JSON log line');
    assert.equal(body.level, 'WARNING');
    assert.equal(body.group, 'Rack A');
    const spare = parsed.filter((m) => m.sd['eneru@32473']?.group === 'Rack B');
    assert.ok(
      spare.every((m) => m.sd['eneru@32473']?.event_type !== 'ON_BATTERY'),
      'the other UPS stays on line',
    );
  });

  test('TCP, RFC 5424: octet-counted frames, each one whole log line', async () => {
    const receiver = await tcpReceiver();
    receivers.push(receiver);
    await powerCutThrough(receiver, {
      address: '127.0.0.1',
      port: receiver.port,
      facility: 'daemon',
      format: 'rfc5424',
      protocol: 'tcp',
      logFormat: 'text',
    });
    const parsed = receiver.messages.map(parse5424);
    const event = parsed.find((m) => m.body.includes('POWER EVENT: ON_BATTERY'));
    assert.ok(event);
    assert.equal(event.pri, DAEMON * 8 + WARNING);
    assert.equal(event.sd['eneru@32473']?.event_type, 'ON_BATTERY');
    // Frame boundaries are right when every frame starts a new text log line.
    const misframed = parsed.filter((m) => !/^\d{4}-\d{2}-\d{2} /.test(m.body));
    assert.deepEqual(misframed, [], 'every frame is one whole log line');
    assert.ok(parsed.length >= 3, `several frames on one connection (${parsed.length})`);
  });

  test('UNIX datagram socket, RFC 3164: no hostname, NUL-terminated, daemon.warning', async () => {
    const socketPath = join(root, 'log.sock');
    const receiver = unixDgramReceiver(socketPath);
    receivers.push(receiver);
    const pid = await powerCutThrough(receiver, {
      address: socketPath,
      facility: 'daemon',
      logFormat: 'text',
    });
    const raw = receiver.messages.find((m) => m.includes('POWER EVENT: ON_BATTERY'));
    assert.ok(raw);
    assert.ok(raw.endsWith('\0'), 'local datagrams end with a NUL');
    const event = parse3164(raw.slice(0, -1));
    assert.equal(event.pri, DAEMON * 8 + WARNING);
    assert.equal(event.hostname, null, 'the local socket adds the hostname itself');
    assert.equal(event.tag, 'eneru');
    assert.equal(event.pid, pid);
  });

  test('a local socket that appears after startup: reported once, then used', async () => {
    await upsd.switchScenario('TestUPS', 'online-charging');
    const socketPath = join(root, 'late.sock');
    const dir = mkdtempSync(join(root, 'run-'));
    const daemon = spawnEneru([
      'run',
      '-c',
      writeConfig(dir, { address: socketPath, facility: 'daemon', logFormat: 'json' }),
    ]);
    daemons.push(daemon);
    await daemon.waitForRecord(
      (r) => r.code === 'SYSLOG_INIT_FAILED',
      STEP_TIMEOUT_MS,
      'the SYSLOG_INIT_FAILED warning',
    );
    const receiver = unixDgramReceiver(socketPath);
    receivers.push(receiver);
    await upsd.switchScenario('TestUPS', 'on-battery');
    await waitFor(
      () => receiver.messages.some((m) => m.includes('ON_BATTERY')),
      STEP_TIMEOUT_MS,
      'the power event at the socket that appeared later',
    );
    assert.equal(daemon.proc.exitCode, null, 'the daemon kept running');
    const initFailures = daemon.records().filter((r) => r.code === 'SYSLOG_INIT_FAILED');
    assert.equal(initFailures.length, 1, 'reported once, not on every line');
    assert.equal(await daemon.stop('SIGTERM'), 0);
  });
});
