// Semantic rules that span keys: UPS groups, redundancy, remote servers, suppression, safe
// probes, shared NUT connections and section warnings. One case per rule, with a valid twin
// where the rule has a boundary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, type ConfigMessage } from '../../src/config/index.js';

const opts = { probeAuthDb: () => ({ state: 'missing' as const }) };

function messages(raw: unknown): ConfigMessage[] {
  return parseConfig(raw, opts).messages;
}

function expectOne(
  raw: unknown,
  level: ConfigMessage['level'],
  pattern: RegExp,
  path?: string,
): void {
  const all = messages(raw);
  const hit = all.find((m) => m.level === level && pattern.test(m.text));
  assert.ok(hit, `expected ${level} ${String(pattern)} in:\n${all.map((m) => m.text).join('\n')}`);
  assert.ok(hit.text.startsWith(`${level}: `));
  if (path !== undefined) assert.equal(hit.path, path);
}

function expectNone(raw: unknown, pattern: RegExp): void {
  const all = messages(raw);
  assert.ok(
    !all.some((m) => pattern.test(m.text)),
    `unexpected ${String(pattern)} in:\n${all.map((m) => m.text).join('\n')}`,
  );
}

const twoUps = (a: object = {}, b: object = {}) => [
  { name: 'A@h1', ...a },
  { name: 'B@h2', ...b },
];

describe('config rules: UPS groups', () => {
  it('duplicate sanitised names', () => {
    expectOne(
      { ups: [{ name: 'UPS@h:3493' }, { name: 'UPS-h-3493' }] },
      'ERROR',
      /collides with 'UPS@h:3493'.*'UPS-h-3493'/,
      'ups[1].name',
    );
  });
  it('an empty ups list monitors nothing and says so', () => {
    expectOne({ ups: [] }, 'WARNING', /'ups' is an empty list: no UPS will be monitored/, 'ups');
  });
  it('multiple is_local across UPS groups', () => {
    expectOne(
      { ups: twoUps({ is_local: true }, { is_local: true }) },
      'ERROR',
      /at most one UPS or redundancy group may be is_local/,
    );
  });
  it('multiple is_local across UPS and redundancy groups', () => {
    expectOne(
      {
        ups: twoUps({ is_local: true }),
        redundancy_groups: [{ name: 'g', ups_sources: ['A@h1', 'B@h2'], is_local: true }],
      },
      'ERROR',
      /at most one UPS or redundancy group may be is_local.*redundancy_groups\[0\]/,
    );
  });
  it('local resources on a non-local group', () => {
    expectOne(
      { ups: twoUps({}, { virtual_machines: { enabled: true } }) },
      'ERROR',
      /'ups\[1\]\.virtual_machines' is a local resource/,
      'ups[1].virtual_machines',
    );
    expectOne(
      { ups: twoUps({ filesystems: { unmount: { enabled: true } } }) },
      'ERROR',
      /'ups\[0\]\.filesystems\.unmount' is a local resource/,
    );
    expectNone(
      { ups: twoUps({ is_local: true, containers: { enabled: true } }) },
      /local resource/,
    );
  });
  it('top-level resources are ignored in list form', () => {
    expectOne(
      { ups: twoUps({ is_local: true }), remote_servers: [] },
      'WARNING',
      /Top-level 'remote_servers' section ignored in multi-UPS mode/,
      'remote_servers',
    );
    expectOne(
      { ups: twoUps({ is_local: true }), docker: { enabled: true } },
      'WARNING',
      /Top-level 'docker' section ignored/,
    );
  });
  it('multi-UPS without a local group while local shutdown triggers on any', () => {
    expectOne(
      { ups: twoUps() },
      'WARNING',
      /no is_local group while local_shutdown\.enabled and trigger_on: any/,
      'local_shutdown.trigger_on',
    );
    expectNone({ ups: twoUps(), local_shutdown: { trigger_on: 'none' } }, /no is_local group/);
    expectNone({ ups: twoUps(), local_shutdown: { enabled: false } }, /no is_local group/);
    expectNone({ ups: twoUps({ is_local: true }) }, /no is_local group/);
  });
  it('nut_control.enabled may not be set per UPS', () => {
    expectOne(
      { ups: twoUps({ nut_control: { enabled: false } }) },
      'ERROR',
      /'ups\[0\]\.nut_control\.enabled' cannot be set per UPS/,
    );
  });
  it('UPSes sharing one upsd must agree on nut settings', () => {
    expectOne(
      { ups: [{ name: 'A@nas' }, { name: 'B@NAS:3493', nut: { tls: 'required' } }] },
      'ERROR',
      /'ups\[1\]\.nut' differs from the nut settings of 'A@nas'.*upsd nas:3493/i,
      'ups[1].nut',
    );
    expectNone(
      { nut: { tls: 'required' }, ups: [{ name: 'A@nas' }, { name: 'B@nas' }] },
      /differs from the nut settings/,
    );
    expectNone(
      { ups: [{ name: 'A@nas', nut: { tls: 'required' } }, { name: 'B@nas:3494' }] },
      /differs from the nut settings/,
    );
  });
});

describe('config rules: redundancy groups', () => {
  const base = (group: object, extra: object = {}) => ({
    ups: twoUps(),
    local_shutdown: { trigger_on: 'none' },
    redundancy_groups: [{ name: 'g', ups_sources: ['A@h1', 'B@h2'], ...group }],
    ...extra,
  });
  it('a well-formed group is valid', () => {
    assert.deepEqual(messages(base({})), []);
  });
  it('name is required and unique', () => {
    expectOne(base({ name: '' }), 'ERROR', /'redundancy_groups\[0\]\.name' is required/);
    expectOne(
      {
        ...base({}),
        redundancy_groups: [
          { name: 'g', ups_sources: ['A@h1', 'B@h2'] },
          { name: 'g', ups_sources: ['A@h1', 'B@h2'] },
        ],
      },
      'ERROR',
      /redundancy group name 'g' is used more than once/,
    );
  });
  it('ups_sources: non-empty, exact names, no duplicates', () => {
    expectOne(base({ ups_sources: [] }), 'ERROR', /must list at least one UPS name/);
    expectOne(
      base({ ups_sources: ['A@h1', 'b@h2'] }),
      'ERROR',
      /names unknown UPS 'b@h2' \(must exactly match a ups\[\]\.name/,
      'redundancy_groups[0].ups_sources[1]',
    );
    expectOne(base({ ups_sources: ['A@h1', 'A@h1'] }), 'ERROR', /lists 'A@h1' more than once/);
  });
  it('min_healthy above the source count is an error, equal is a warning', () => {
    expectOne(
      base({ min_healthy: 3 }),
      'ERROR',
      /min_healthy' is 3 but the group has only 2 source/,
    );
    expectOne(
      base({ min_healthy: 2 }),
      'WARNING',
      /min_healthy' equals the number of sources \(2\)/,
    );
  });
  it('depletion.window is forbidden in group triggers; other trigger keys are fine', () => {
    expectOne(
      base({ triggers: { depletion: { window: 100 } } }),
      'ERROR',
      /'redundancy_groups\[0\]\.triggers\.depletion\.window' is not allowed/,
    );
    expectNone(base({ triggers: { depletion: { critical_rate: 20 } } }), /not allowed/);
  });
  it('local resources need is_local', () => {
    expectOne(
      base({ containers: { enabled: true } }),
      'ERROR',
      /'redundancy_groups\[0\]\.containers' is a local resource but redundancy group 'g' is not is_local/,
    );
    expectNone(base({ is_local: true, containers: { enabled: true } }), /local resource/);
  });
  it('a member with its own resources is warned about', () => {
    const raw = { ...base({}), ups: twoUps({ remote_servers: [{ host: 'x', user: 'root' }] }) };
    expectOne(
      raw,
      'WARNING',
      /UPS 'A@h1' is a redundancy group member, so its own remote_servers will never be shut down/,
    );
  });
  it('a server (host, user) may not be in a UPS group and a redundancy group', () => {
    const raw = {
      ...base({ remote_servers: [{ host: 'Srv', user: 'Root' }] }),
      ups: [
        { name: 'A@h1' },
        { name: 'B@h2' },
        { name: 'C@h3', remote_servers: [{ host: 'srv', user: 'root' }] },
      ],
    };
    expectOne(raw, 'ERROR', /remote server Root@Srv .* is also in 'C@h3'/);
  });
  it('nor in two redundancy groups', () => {
    const raw = {
      ...base({}),
      redundancy_groups: [
        { name: 'g1', ups_sources: ['A@h1'], remote_servers: [{ host: 's', user: 'u' }] },
        { name: 'g2', ups_sources: ['B@h2'], remote_servers: [{ host: 's', user: 'u' }] },
      ],
    };
    expectOne(raw, 'ERROR', /is also in 'redundancy:g1'/);
  });
  it('the same server in two plain UPS groups is allowed', () => {
    const raw = {
      ups: twoUps(
        { is_local: true, remote_servers: [{ host: 's', user: 'root' }] },
        { remote_servers: [{ host: 's', user: 'root' }] },
      ),
    };
    expectNone(raw, /is also in/);
  });
});

describe('config rules: remote servers', () => {
  it('shutdown_order and parallel are mutually exclusive', () => {
    expectOne(
      { remote_servers: [{ host: 'h', user: 'root', shutdown_order: 2, parallel: true }] },
      'ERROR',
      /sets both shutdown_order and the legacy parallel key/,
      'remote_servers[0].shutdown_order',
    );
  });
  it('an enabled server needs a host', () => {
    expectOne(
      { remote_servers: [{ name: 'x', user: 'root', enabled: true }] },
      'ERROR',
      /'remote_servers\[0\]' \(x\) is enabled but has no host/,
    );
    expectNone({ remote_servers: [{ name: 'x', user: 'root', enabled: false }] }, /has no host/);
  });
  it('at most one host loopback', () => {
    const lb = { user: 'root', enabled: true, is_host_loopback: true };
    expectOne(
      { remote_servers: [lb, lb] },
      'ERROR',
      /at most one remote server may set is_host_loopback: true \(found 2/,
    );
  });
  it('host loopback must be enabled, have a user and belong to the local group', () => {
    expectOne(
      { remote_servers: [{ user: 'root', is_host_loopback: true }] },
      'ERROR',
      /is_host_loopback requires enabled: true/,
    );
    expectOne(
      { remote_servers: [{ enabled: true, is_host_loopback: true }] },
      'ERROR',
      /is_host_loopback requires a non-empty user/,
    );
    expectOne(
      {
        ups: twoUps(
          { is_local: true },
          { remote_servers: [{ user: 'root', enabled: true, is_host_loopback: true }] },
        ),
      },
      'ERROR',
      /is_host_loopback requires its group 'B@h2' to be the local group/,
    );
    assert.deepEqual(
      messages({ remote_servers: [{ user: 'root', enabled: true, is_host_loopback: true }] }),
      [],
    );
  });
  it('host_identity_command must be a safe probe', () => {
    expectOne(
      {
        remote_servers: [
          { host: 'h', user: 'root', host_identity_command: 'cat /etc/machine-id; reboot' },
        ],
      },
      'ERROR',
      /host_identity_command' is not a safe probe command: must not contain shell syntax/,
    );
  });
  it('non-root user without use_sudo is warned about when it uses actions or a bare shutdown', () => {
    expectOne(
      { remote_servers: [{ name: 'nas', host: 'h', user: 'admin', shutdown_command: 'poweroff' }] },
      'WARNING',
      /non-root user 'admin' with use_sudo: false and has a shutdown_command without sudo/,
      'remote_servers[0].use_sudo',
    );
    expectOne(
      {
        remote_servers: [
          { name: 'nas', host: 'h', user: 'admin', pre_shutdown_commands: [{ action: 'sync' }] },
        ],
      },
      'WARNING',
      /uses pre_shutdown_commands actions/,
    );
    expectNone(
      { remote_servers: [{ host: 'h', user: 'admin', shutdown_command: 'sudo poweroff' }] },
      /non-root/,
    );
    expectNone(
      {
        remote_servers: [
          { host: 'h', user: 'admin', use_sudo: true, shutdown_command: 'poweroff' },
        ],
      },
      /non-root/,
    );
    expectNone(
      { remote_servers: [{ host: 'h', user: 'root', shutdown_command: 'poweroff' }] },
      /non-root/,
    );
  });
  it('a pre-shutdown step with neither action nor command is warned about', () => {
    expectOne(
      { remote_servers: [{ host: 'h', user: 'root', pre_shutdown_commands: [{ timeout: 5 }] }] },
      'WARNING',
      /has neither action nor command/,
    );
  });
});

describe('config rules: sections', () => {
  it('empty local_shutdown.command while enabled', () => {
    expectOne(
      { local_shutdown: { command: '  ' } },
      'ERROR',
      /'local_shutdown\.command' must not be empty/,
      'local_shutdown.command',
    );
    expectNone({ local_shutdown: { enabled: false, command: '' } }, /must not be empty/);
  });
  it('suppress: safety-critical types are blocked', () => {
    for (const type of [
      'ON_BATTERY',
      'connection_lost',
      'OVERLOAD_ACTIVE',
      'BROWNOUT_DETECTED',
      'OVER_VOLTAGE_DETECTED',
      'BYPASS_MODE_ACTIVE',
      'SHUTDOWN_SEQUENCE_COMPLETE',
      'shutdown_anything',
    ]) {
      expectOne(
        { notifications: { suppress: [type] } },
        'ERROR',
        /is safety-critical and cannot be suppressed/,
        'notifications.suppress[0]',
      );
    }
  });
  it('suppress: unknown types are rejected, allowed ones accepted in any case', () => {
    expectOne(
      { notifications: { suppress: ['POWER_RESTORED', 'DAEMON_START'] } },
      'ERROR',
      /'notifications\.suppress\[1\]': unknown or non-suppressible event type 'DAEMON_START'/,
    );
    assert.deepEqual(
      messages({
        notifications: { suppress: ['power_restored', 'VOLTAGE_NORMALIZED', 'avr_boost_active'] },
      }),
      [],
    );
  });
  it('voltage hysteresis above 600 s is a warning', () => {
    expectOne(
      { notifications: { voltage_hysteresis_seconds: 601 } },
      'WARNING',
      /voltage_hysteresis_seconds' is 601s \(> 600\)/,
    );
    expectNone({ notifications: { voltage_hysteresis_seconds: 600 } }, /hysteresis/);
  });
  it('a legacy webhook that is not a Discord URL is an error', () => {
    expectOne(
      { discord: { webhook_url: 'https://example.com/hook' } },
      'ERROR',
      /'discord\.webhook_url' is not a Discord webhook URL/,
    );
  });
  it('stabilization delay >= critical runtime is a warning, globally and per group', () => {
    expectOne(
      { triggers: { on_battery_stabilization_delay: 600 } },
      'WARNING',
      /'triggers\.on_battery_stabilization_delay' \(600s\) is >= critical_runtime_threshold \(600s\)/,
    );
    expectOne(
      { ups: { triggers: { critical_runtime_threshold: 20 } } },
      'WARNING',
      /'ups\.triggers\.on_battery_stabilization_delay' \(30s\)/,
    );
    expectNone(
      { triggers: { on_battery_stabilization_delay: 100, critical_runtime_threshold: 0 } },
      /stabilization/,
    );
  });
  it('mqtt broker is required when enabled and must use mqtt(s)://', () => {
    expectOne(
      { mqtt: { enabled: true } },
      'ERROR',
      /'mqtt\.broker' is required when mqtt\.enabled is true/,
    );
    expectOne(
      { mqtt: { enabled: true, broker: 'http://x' } },
      'ERROR',
      /must use mqtt:\/\/ or mqtts:\/\//,
    );
    expectOne({ mqtt: { enabled: true, broker: 'broker.lan' } }, 'WARNING', /has no scheme/);
    assert.deepEqual(messages({ mqtt: { enabled: true, broker: 'mqtts://user:pw@b:8883' } }), []);
  });
  it('mqtt client certificate and key go together', () => {
    expectOne(
      { mqtt: { tls: { cert_file: '/c.pem' } } },
      'ERROR',
      /cert_file' and 'mqtt\.tls\.key_file' must be set together/,
    );
  });
  it('critical_score must be below warn_score, globally and per UPS', () => {
    expectOne(
      { battery_health: { warn_score: 20, critical_score: 20 } },
      'ERROR',
      /'battery_health\.critical_score' \(20\) must be lower than warn_score \(20\)/,
    );
    expectOne(
      { ups: { battery_health: { critical_score: 35 } } },
      'ERROR',
      /'ups\.battery_health\.critical_score' \(35\) must be lower than warn_score \(30\)/,
    );
  });
  it('a self-test command outside test.* is a warning', () => {
    expectOne(
      { self_test: { command: 'beeper.toggle' } },
      'WARNING',
      /'self_test\.command' is 'beeper\.toggle', which is not a NUT test\.\* command/,
    );
    expectOne(
      { ups: { self_test: { command: 'load.off' } } },
      'WARNING',
      /'ups\.self_test\.command'/,
    );
  });
  it('remote_health.probe_command must be a safe probe', () => {
    expectOne(
      { remote_health: { probe_command: 'systemctl poweroff' } },
      'ERROR',
      /'remote_health\.probe_command' is not a safe probe command: must not contain 'poweroff'/,
    );
    expectOne(
      { remote_health: { probe_command: 'id | tee' } },
      'ERROR',
      /must not contain shell syntax/,
    );
    expectOne({ remote_health: { probe_command: '' } }, 'ERROR', /must not be empty/);
    assert.deepEqual(messages({ remote_health: { probe_command: 'uptime' } }), []);
  });
  it('reports enabled without a period is a warning', () => {
    expectOne(
      { reports: { enabled: true } },
      'WARNING',
      /'reports\.enabled' is true but none of daily, weekly or monthly is/,
    );
    expectNone({ reports: { enabled: true, weekly: true } }, /no report will be sent/);
  });
  it('NUT username and password go together, globally and per UPS', () => {
    expectOne(
      { nut: { username: 'mon' } },
      'ERROR',
      /'nut\.username' and 'nut\.password' must be set together/,
      'nut',
    );
    expectOne(
      { ups: { name: 'U@h', nut: { password: 'x' } } },
      'ERROR',
      /'ups\.nut\.username' and 'ups\.nut\.password' must be set together/,
    );
    expectNone({ nut: { username: 'mon', password: 'pw' } }, /must be set together/);
  });
  it('Apprise is never reported missing (eneru has its own transports)', () => {
    expectNone({ notifications: { urls: ['json://localhost/x'] } }, /apprise/i);
  });
});
