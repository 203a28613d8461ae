// Schema-level rules: types, ranges, enums, real booleans, unknown keys with suggestions, x- keys,
// and the all-defaults configuration.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrors, parseConfig } from '../../src/config/index.js';

const noAuthDb = { probeAuthDb: () => ({ state: 'missing' as const }) };

function texts(raw: unknown): string[] {
  return parseConfig(raw, noAuthDb).messages.map((m) => m.text);
}

function assertMessage(raw: unknown, expected: string | RegExp): void {
  const all = texts(raw);
  const found = all.some((text) =>
    typeof expected === 'string' ? text === expected : expected.test(text),
  );
  assert.ok(found, `expected ${String(expected)} in:\n${all.join('\n')}`);
}

describe('config schema: defaults', () => {
  it('an empty document is the all-defaults config with no messages', () => {
    const { config, messages } = parseConfig({}, noAuthDb);
    assert.deepEqual(messages, []);
    assert.equal(config.ups.length, 1);
    assert.equal(config.ups[0]?.name, 'UPS@localhost');
    assert.equal(config.ups[0]?.is_local, true);
    assert.equal(config.mode, 'single');
    assert.equal(config.coordinator, false);
    assert.equal(config.triggers.low_battery_threshold, 20);
    assert.equal(config.triggers.depletion.critical_rate, 15);
    assert.equal(config.local_shutdown.command, 'shutdown -h now');
    assert.equal(config.logging.file, '/var/log/ups-monitor.log');
    assert.equal(config.logging.level, 'info');
    assert.equal(config.logging.syslog.format, 'rfc3164');
    assert.equal(config.logging.syslog.protocol, 'udp');
    assert.equal(config.api.port, 9191);
    assert.equal(config.api.auth.enabled, null);
    assert.equal(config.prometheus.enabled, true);
    assert.equal(config.remote_health.interval, 3600);
    assert.equal(config.mqtt.retain_state, true);
    assert.equal(config.mqtt.homeassistant.discovery_prefix, 'homeassistant');
    assert.equal(config.nut.tls, 'off');
    assert.equal(config.nut.timeout, 30);
    assert.equal(config.statistics.retention.agg_hourly_days, 1825);
    assert.equal(config.self_test.time, '03:00');
    assert.deepEqual(config.reports.include, ['events', 'battery_health', 'energy', 'uptime']);
    assert.equal(config.energy.currency, 'USD');
    assert.equal(config.notifications.enabled, false);
    assert.equal(config.battery_health.expected_life_years, 5);
  });

  it('null (an empty file) is the same as {}', () => {
    assert.deepEqual(parseConfig(null, noAuthDb).messages, []);
  });

  it('the result is deep-frozen', () => {
    const { config } = parseConfig({}, noAuthDb);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.ups[0]?.triggers.depletion));
    assert.throws(() => ((config.api as { port: number }).port = 1));
  });
});

describe('config schema: types', () => {
  const cases: [string, unknown, string][] = [
    [
      'quoted boolean',
      { behavior: { dry_run: 'false' } },
      `ERROR: 'behavior.dry_run' must be a boolean (true or false, unquoted), got string "false".`,
    ],
    [
      'integer boolean',
      { api: { enabled: 1 } },
      `ERROR: 'api.enabled' must be a boolean (true or false, unquoted), got integer 1.`,
    ],
    [
      'nested boolean',
      { triggers: { extended_time: { enabled: 'yes' } } },
      `ERROR: 'triggers.extended_time.enabled' must be a boolean (true or false, unquoted), got string "yes".`,
    ],
    [
      'int rejects float',
      { api: { port: 9191.5 } },
      `ERROR: 'api.port' must be an integer, got float 9191.5.`,
    ],
    [
      'int rejects bool',
      { triggers: { low_battery_threshold: true } },
      `ERROR: 'triggers.low_battery_threshold' must be an integer, got boolean true.`,
    ],
    [
      'int rejects string',
      { ups: { check_interval: '5' } },
      `ERROR: 'ups.check_interval' must be an integer, got string "5".`,
    ],
    [
      'number rejects string',
      { triggers: { depletion: { critical_rate: 'fast' } } },
      `ERROR: 'triggers.depletion.critical_rate' must be a number, got string "fast".`,
    ],
    [
      'string rejects number',
      { local_shutdown: { command: 5 } },
      `ERROR: 'local_shutdown.command' must be a string, got integer 5.`,
    ],
    [
      'list item type',
      { notifications: { urls: ['ok://x', 7] } },
      `ERROR: 'notifications.urls[1]' must be a string, got integer 7.`,
    ],
    [
      'per-UPS list entry',
      { ups: [{ name: 'A@h', max_stale_data_tolerance: 1.5 }] },
      `ERROR: 'ups[0].max_stale_data_tolerance' must be an integer, got float 1.5.`,
    ],
    [
      'mount union',
      { filesystems: { unmount: { mounts: [5] } } },
      `ERROR: 'filesystems.unmount.mounts[0]' must be a string or a mapping, got integer.`,
    ],
    [
      'mount mapping field',
      { filesystems: { unmount: { mounts: [{ path: 5 }] } } },
      `ERROR: 'filesystems.unmount.mounts[0].path' must be a string, got integer 5.`,
    ],
    [
      'missing required mount path',
      { filesystems: { unmount: { mounts: [{ options: '-l' }] } } },
      `ERROR: 'filesystems.unmount.mounts[0].path' must be a string, it is missing.`,
    ],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => assertMessage(raw, expected));
  }

  it('number fields accept integers and floats', () => {
    const { config, messages } = parseConfig(
      { triggers: { depletion: { critical_rate: 10 } }, energy: { cost_per_kwh: 0.25 } },
      noAuthDb,
    );
    assert.deepEqual(messages, []);
    assert.equal(config.triggers.depletion.critical_rate, 10);
    assert.equal(config.energy.cost_per_kwh, 0.25);
  });
});

describe('config schema: ranges', () => {
  const cases: [string, unknown, string][] = [
    [
      'low battery > 100',
      { triggers: { low_battery_threshold: 101 } },
      `ERROR: 'triggers.low_battery_threshold' must be <= 100, got 101.`,
    ],
    [
      'low battery < 0',
      { triggers: { low_battery_threshold: -1 } },
      `ERROR: 'triggers.low_battery_threshold' must be >= 0, got -1.`,
    ],
    [
      'critical_rate must be > 0',
      { triggers: { depletion: { critical_rate: 0 } } },
      `ERROR: 'triggers.depletion.critical_rate' must be > 0, got 0.`,
    ],
    [
      'depletion window >= 1',
      { triggers: { depletion: { window: 0 } } },
      `ERROR: 'triggers.depletion.window' must be >= 1, got 0.`,
    ],
    ['api.port 0', { api: { port: 0 } }, `ERROR: 'api.port' must be >= 1, got 0.`],
    ['api.port 65536', { api: { port: 65536 } }, `ERROR: 'api.port' must be <= 65535, got 65536.`],
    [
      'syslog port',
      { logging: { syslog: { port: 70000 } } },
      `ERROR: 'logging.syslog.port' must be <= 65535, got 70000.`,
    ],
    [
      'check_interval',
      { ups: { check_interval: 0 } },
      `ERROR: 'ups.check_interval' must be >= 1, got 0.`,
    ],
    [
      'grace duration',
      { ups: { connection_loss_grace_period: { duration: 0.5 } } },
      `ERROR: 'ups.connection_loss_grace_period.duration' must be >= 1, got 0.5.`,
    ],
    [
      'remote_health interval',
      { remote_health: { interval: 30 } },
      `ERROR: 'remote_health.interval' must be >= 60, got 30.`,
    ],
    [
      'mqtt publish_interval',
      { mqtt: { publish_interval: 0 } },
      `ERROR: 'mqtt.publish_interval' must be >= 1, got 0.`,
    ],
    [
      'nut_control timeout',
      { nut_control: { timeout: 0 } },
      `ERROR: 'nut_control.timeout' must be >= 1, got 0.`,
    ],
    [
      'session_ttl',
      { api: { auth: { session_ttl: 0 } } },
      `ERROR: 'api.auth.session_ttl' must be >= 1, got 0.`,
    ],
    [
      'cost_per_kwh >= 0',
      { energy: { cost_per_kwh: -0.1 } },
      `ERROR: 'energy.cost_per_kwh' must be >= 0, got -0.1.`,
    ],
    [
      'nominal_power > 0',
      { energy: { nominal_power: 0 } },
      `ERROR: 'energy.nominal_power' must be > 0, got 0.`,
    ],
    ['nut timeout > 0', { nut: { timeout: 0 } }, `ERROR: 'nut.timeout' must be > 0, got 0.`],
    [
      'shutdown_order >= 1',
      { remote_servers: [{ host: 'h', shutdown_order: 0 }] },
      `ERROR: 'remote_servers[0].shutdown_order' must be >= 1, got 0.`,
    ],
    [
      'pre-command timeout',
      { remote_servers: [{ host: 'h', pre_shutdown_commands: [{ action: 'sync', timeout: 0 }] }] },
      `ERROR: 'remote_servers[0].pre_shutdown_commands[0].timeout' must be >= 1, got 0.`,
    ],
    [
      'monthly_day',
      { reports: { monthly_day: 31 } },
      `ERROR: 'reports.monthly_day' must be <= 28, got 31.`,
    ],
    [
      'min_healthy >= 1',
      {
        ups: [{ name: 'A' }],
        redundancy_groups: [{ name: 'g', ups_sources: ['A'], min_healthy: 0 }],
      },
      `ERROR: 'redundancy_groups[0].min_healthy' must be >= 1, got 0.`,
    ],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => assertMessage(raw, expected));
  }
});

describe('config schema: enums and formats', () => {
  const cases: [string, unknown, string | RegExp][] = [
    [
      'logging.format',
      { logging: { format: 'xml' } },
      `ERROR: 'logging.format' must be one of: text, json; got "xml".`,
    ],
    [
      'logging.level',
      { logging: { level: 'verbose' } },
      `ERROR: 'logging.level' must be one of: debug, info, warning, error; got "verbose".`,
    ],
    [
      'syslog facility',
      { logging: { syslog: { facility: 'local9' } } },
      /^ERROR: 'logging\.syslog\.facility' must be a standard syslog facility \(auth, .*local7\), got "local9"\.$/,
    ],
    [
      'syslog format',
      { logging: { syslog: { format: 'rfc9999' } } },
      `ERROR: 'logging.syslog.format' must be one of: rfc3164, rfc5424; got "rfc9999".`,
    ],
    [
      'syslog protocol',
      { logging: { syslog: { protocol: 'sctp' } } },
      `ERROR: 'logging.syslog.protocol' must be one of: udp, tcp; got "sctp".`,
    ],
    [
      'trigger_on',
      { local_shutdown: { trigger_on: 'all' } },
      `ERROR: 'local_shutdown.trigger_on' must be one of: any, none; got "all".`,
    ],
    [
      'voltage_sensitivity',
      { triggers: { voltage_sensitivity: 'strict' } },
      `ERROR: 'triggers.voltage_sensitivity' must be one of: tight, normal, loose; got "strict".`,
    ],
    [
      'containers runtime',
      { containers: { runtime: 'lxc' } },
      `ERROR: 'containers.runtime' must be one of: auto, docker, podman; got "lxc".`,
    ],
    [
      'degraded_counts_as',
      {
        ups: [{ name: 'A' }],
        redundancy_groups: [{ name: 'g', ups_sources: ['A'], degraded_counts_as: 'unknown' }],
      },
      `ERROR: 'redundancy_groups[0].degraded_counts_as' must be one of: healthy, critical; got "unknown".`,
    ],
    [
      'unknown_counts_as',
      {
        ups: [{ name: 'A' }],
        redundancy_groups: [{ name: 'g', ups_sources: ['A'], unknown_counts_as: 'x' }],
      },
      `ERROR: 'redundancy_groups[0].unknown_counts_as' must be one of: critical, degraded, healthy; got "x".`,
    ],
    [
      'nut tls',
      { nut: { tls: 'on' } },
      `ERROR: 'nut.tls' must be one of: off, opportunistic, required; got "on".`,
    ],
    [
      'weekly_day',
      { reports: { weekly_day: 'mon' } },
      /^ERROR: 'reports\.weekly_day' must be one of: monday, /,
    ],
    [
      'report include',
      { reports: { include: ['events', 'weather'] } },
      /^ERROR: 'reports\.include\[1\]' must be one of: events, battery_health, energy, uptime; got "weather"\.$/,
    ],
    [
      'report time',
      { reports: { time: '25:00' } },
      `ERROR: 'reports.time' must be a time of day HH:MM (00:00-23:59), got "25:00".`,
    ],
    [
      'self-test time',
      { self_test: { time: 'noon' } },
      `ERROR: 'self_test.time' must be a time of day HH:MM (00:00-23:59), got "noon".`,
    ],
    [
      'install date',
      { battery_health: { battery_install_date: '15/01/2024' } },
      `ERROR: 'battery_health.battery_install_date' must be a date YYYY-MM-DD, got "15/01/2024".`,
    ],
    [
      'ups name shape',
      { ups: { name: 'UPS@host:port' } },
      `ERROR: 'ups.name' must look like upsname[@host[:port]], got "UPS@host:port".`,
    ],
    [
      'ups name port range',
      { ups: { name: 'UPS@host:70000' } },
      `ERROR: 'ups.name' has a port outside 1..65535, got "UPS@host:70000".`,
    ],
    [
      'nut_control allowlist',
      { nut_control: { allowed_commands: ['beeper.toggle', 'rm -rf'] } },
      `ERROR: 'nut_control.allowed_commands[1]' must match [A-Za-z0-9._+-]+, got "rm -rf".`,
    ],
    [
      'nut_control variables allowlist',
      { nut_control: { allowed_variables: ['input;x'] } },
      `ERROR: 'nut_control.allowed_variables[0]' must match [A-Za-z0-9._+-]+, got "input;x".`,
    ],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => assertMessage(raw, expected));
  }

  it('accepts IPv6 and port forms of UPS names', () => {
    for (const name of [
      'UPS',
      'UPS@localhost',
      'UPS@10.0.0.1:3493',
      'UPS@[::1]:3493',
      'my-ups_1@nas.lan',
    ]) {
      assert.deepEqual(texts({ ups: { name } }), [], name);
    }
  });

  it('facility is lower-cased', () => {
    const { config, messages } = parseConfig(
      { logging: { syslog: { facility: 'LOCAL3' } } },
      noAuthDb,
    );
    assert.deepEqual(messages, []);
    assert.equal(config.logging.syslog.facility, 'local3');
  });
});

describe('config schema: unknown keys', () => {
  const cases: [string, unknown, string][] = [
    [
      'top level with suggestion',
      { loging: {} },
      `ERROR: unknown top-level config key 'loging'. Did you mean 'logging'?`,
    ],
    [
      'top level without suggestion',
      { zzzqqq: 1 },
      `ERROR: unknown top-level config key 'zzzqqq'.`,
    ],
    [
      'section',
      { triggers: { low_batery: 10 } },
      `ERROR: unknown config key 'triggers.low_batery'. Did you mean 'low_battery_threshold'?`,
    ],
    [
      'nested section',
      { triggers: { depletion: { windw: 10 } } },
      `ERROR: unknown config key 'triggers.depletion.windw'. Did you mean 'window'?`,
    ],
    [
      'api.auth',
      { api: { auth: { require_for_read: true } } },
      `ERROR: unknown config key 'api.auth.require_for_read'. Did you mean 'require_for_reads'?`,
    ],
    [
      'list entry',
      { ups: [{ name: 'A', chek_interval: 1 }] },
      `ERROR: unknown config key 'ups[0].chek_interval'. Did you mean 'check_interval'?`,
    ],
    [
      'remote server',
      { remote_servers: [{ host: 'h', shutdown_comand: 'x' }] },
      `ERROR: unknown config key 'remote_servers[0].shutdown_comand'. Did you mean 'shutdown_command'?`,
    ],
    [
      'per-UPS triggers',
      { ups: { triggers: { extended_time: { treshold: 5 } } } },
      `ERROR: unknown config key 'ups.triggers.extended_time.treshold'. Did you mean 'threshold'?`,
    ],
    [
      'mqtt',
      { mqtt: { brokr: 'mqtt://x' } },
      `ERROR: unknown config key 'mqtt.brokr'. Did you mean 'broker'?`,
    ],
    ['prometheus', { prometheus: { port: 1 } }, `ERROR: unknown config key 'prometheus.port'.`],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => assertMessage(raw, expected));
  }

  it('keys starting with x- are ignored at top level only', () => {
    assert.deepEqual(texts({ 'x-anchors': { a: 1 } }), []);
    assertMessage({ api: { 'x-note': 1 } }, /^ERROR: unknown config key 'api\.x-note'\./);
  });

  it('legacy keys are accepted', () => {
    assert.deepEqual(
      texts({
        statistics: { enabled: true },
        remote_servers: [{ host: 'h', user: 'root', augment_remote_path: true }],
      }),
      [],
    );
  });

  it('reports every problem in one pass and keeps valid siblings', () => {
    const { config, messages } = parseConfig(
      {
        triggers: { low_battery_threshold: 200, critical_runtime_threshold: 120 },
        api: { port: 'x', bind: '0.0.0.0' },
        bogus: 1,
      },
      noAuthDb,
    );
    assert.equal(messages.filter((m) => m.level === 'ERROR').length, 3);
    assert.ok(hasErrors(messages));
    assert.equal(
      config.triggers.low_battery_threshold,
      20,
      'invalid value falls back to the default',
    );
    assert.equal(config.triggers.critical_runtime_threshold, 120, 'valid sibling kept');
    assert.equal(config.api.bind, '0.0.0.0');
    assert.ok(
      messages.every((m) => m.path !== '' && m.text.includes(m.path)),
      'each message names its key path',
    );
  });
});
