// Normalisation: single vs multi shapes, override merging, legacy forms and resolved values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, sanitizeUpsName, upsdEndpoint } from '../../src/config/index.js';
import { effectiveShutdownOrders } from '../../src/config/overview.js';

const opts = { probeAuthDb: () => ({ state: 'missing' as const }) };
const load = (raw: unknown) => parseConfig(raw, opts);

describe('config normalisation: shapes', () => {
  it('single-UPS mapping becomes one local group owning the top-level resources', () => {
    const { config, messages } = load({
      ups: { name: 'UPS@10.0.0.1:3493', display_name: 'Rack' },
      remote_servers: [{ name: 'nas', host: 'nas.lan', user: 'root', enabled: true }],
      virtual_machines: { enabled: true, max_wait: 45 },
      filesystems: { unmount: { enabled: true, mounts: ['/mnt/a'] } },
    });
    assert.deepEqual(messages, []);
    assert.equal(config.mode, 'single');
    assert.equal(config.coordinator, false);
    const [group] = config.ups;
    assert.equal(group?.is_local, true);
    assert.equal(group?.group_id, 'UPS-10.0.0.1-3493');
    assert.equal(group?.label, 'Rack');
    assert.equal(group?.remote_servers[0]?.host, 'nas.lan');
    assert.equal(group?.virtual_machines.max_wait, 45);
    assert.deepEqual(group?.filesystems.unmount.mounts, ['/mnt/a']);
    assert.ok(!('remote_servers' in config), 'top-level resources are moved, not duplicated');
  });

  it('a one-entry list runs single-UPS but is not local by default', () => {
    const { config } = load({ ups: [{ name: 'A@h' }] });
    assert.equal(config.mode, 'single');
    assert.equal(config.ups[0]?.is_local, false);
    assert.equal(config.ups[0]?.label, 'A@h');
  });

  it('a list of two is multi mode with a coordinator and per-entry resources', () => {
    const { config } = load({
      ups: [
        { name: 'A@h', is_local: true, containers: { enabled: true } },
        { name: 'B@h', remote_servers: [{ host: 'x', user: 'root' }] },
      ],
    });
    assert.equal(config.mode, 'multi');
    assert.equal(config.coordinator, true);
    assert.equal(config.ups[0]?.containers.enabled, true);
    assert.equal(config.ups[1]?.containers.enabled, false);
    assert.equal(config.ups[1]?.remote_servers.length, 1);
    assert.equal(config.ups[0]?.remote_servers.length, 0);
  });

  it('a redundancy group alone turns the coordinator on', () => {
    const { config } = load({
      ups: [{ name: 'A' }],
      redundancy_groups: [{ name: 'r 1', ups_sources: ['A'], min_healthy: 1 }],
    });
    assert.equal(config.mode, 'single');
    assert.equal(config.coordinator, true);
    assert.equal(config.redundancy_groups[0]?.group_id, 'redundancy-r 1');
    assert.equal(config.redundancy_groups[0]?.label, 'redundancy:r 1');
  });
});

describe('config normalisation: overrides', () => {
  it('per-UPS triggers override only the keys they set, nested keys individually', () => {
    const { config } = load({
      triggers: {
        low_battery_threshold: 30,
        depletion: { window: 200, critical_rate: 10 },
        extended_time: { threshold: 1200 },
      },
      ups: [
        {
          name: 'A',
          triggers: { depletion: { critical_rate: 25 }, extended_time: { enabled: false } },
        },
        { name: 'B' },
      ],
    });
    const a = config.ups[0]?.triggers;
    assert.equal(a?.low_battery_threshold, 30, 'inherited');
    assert.equal(a?.depletion.window, 200, 'nested sibling inherited');
    assert.equal(a?.depletion.critical_rate, 25, 'nested key overridden');
    assert.equal(a?.depletion.grace_period, 90, 'default');
    assert.equal(a?.extended_time.enabled, false);
    assert.equal(a?.extended_time.threshold, 1200);
    assert.deepEqual(config.ups[1]?.triggers, config.triggers);
    assert.notEqual(config.ups[1]?.triggers, config.triggers, 'each group owns a copy');
  });

  it('redundancy group triggers merge with the global block', () => {
    const { config } = load({
      triggers: { low_battery_threshold: 30 },
      ups: [{ name: 'A' }, { name: 'B' }],
      redundancy_groups: [
        { name: 'g', ups_sources: ['A', 'B'], triggers: { critical_runtime_threshold: 120 } },
      ],
    });
    assert.equal(config.redundancy_groups[0]?.triggers.low_battery_threshold, 30);
    assert.equal(config.redundancy_groups[0]?.triggers.critical_runtime_threshold, 120);
  });

  it('nut_control, battery_health, self_test and nut inherit unset fields', () => {
    const { config } = load({
      api: { auth: { enabled: true } },
      nut_control: { enabled: true, username: 'admin', allowed_commands: ['beeper.toggle'] },
      battery_health: { warn_score: 40, replacement: { horizon_days: 60 } },
      self_test: { command: 'test.battery.start.quick' },
      nut: { tls: 'required', username: 'mon' },
      ups: [
        {
          name: 'A@h1',
          nut_control: { allowed_commands: ['test.battery.start'] },
          battery_health: { replacement: { threshold_score: 40 } },
          self_test: { enabled: true },
          nut: { timeout: 5 },
        },
      ],
    });
    const group = config.ups[0];
    assert.equal(group?.nut_control.enabled, true, 'enabled is global');
    assert.equal(group?.nut_control.username, 'admin');
    assert.deepEqual(group?.nut_control.allowed_commands, ['test.battery.start']);
    assert.equal(group?.battery_health.warn_score, 40);
    assert.equal(group?.battery_health.replacement.horizon_days, 60);
    assert.equal(group?.battery_health.replacement.threshold_score, 40);
    assert.equal(group?.self_test.enabled, true);
    assert.equal(group?.self_test.command, 'test.battery.start.quick');
    assert.deepEqual(group?.nut, {
      tls: 'required',
      ca_file: null,
      username: 'mon',
      password: null,
      timeout: 5,
    });
  });
});

describe('config normalisation: legacy and resolved values', () => {
  it('legacy docker becomes containers with runtime docker', () => {
    const { config, messages } = load({
      docker: { enabled: true, stop_timeout: 20, runtime: 'podman' },
    });
    assert.equal(config.ups[0]?.containers.enabled, true);
    assert.equal(config.ups[0]?.containers.runtime, 'docker');
    assert.equal(config.ups[0]?.containers.stop_timeout, 20);
    assert.ok(messages.some((m) => m.level === 'INFO' && m.path === 'docker'));
  });

  it('legacy discord webhook is prepended to urls and enables notifications', () => {
    const { config, messages } = load({
      discord: { webhook_url: 'https://discord.com/api/webhooks/123456/abc-DEF_1' },
      notifications: { urls: ['slack://a/b/c'] },
    });
    assert.deepEqual(config.notifications.urls, ['discord://123456/abc-DEF_1/', 'slack://a/b/c']);
    assert.equal(config.notifications.enabled, true);
    assert.ok(messages.some((m) => m.text.startsWith('INFO: Legacy Discord webhook_url detected')));
  });

  it('notifications.discord.webhook_url is also recognised', () => {
    const { config } = load({
      notifications: { discord: { webhook_url: 'https://discordapp.com/api/webhooks/9/t' } },
    });
    assert.deepEqual(config.notifications.urls, ['discord://9/t/']);
  });

  it('notifications.enabled: false wins over urls', () => {
    const { config } = load({ notifications: { enabled: false, urls: ['json://x'] } });
    assert.equal(config.notifications.enabled, false);
  });

  it('suppress entries are upper-cased so they really mute', () => {
    const { config, messages } = load({
      notifications: { suppress: ['power_restored', ' Avr_Inactive '] },
    });
    assert.deepEqual(messages, []);
    assert.deepEqual(config.notifications.suppress, ['POWER_RESTORED', 'AVR_INACTIVE']);
  });

  it('mqtt topic prefix loses trailing slashes', () => {
    assert.equal(
      load({ mqtt: { topic_prefix: 'home/ups//' } }).config.mqtt.topic_prefix,
      'home/ups',
    );
  });

  it('remote servers get every default and pre-command timeouts default to command_timeout', () => {
    const { config } = load({
      remote_servers: [
        { name: 'lb', user: 'root', enabled: true, is_host_loopback: true },
        {
          host: 'h',
          user: 'root',
          command_timeout: 45,
          pre_shutdown_commands: [{ action: 'sync' }, { command: 'x', timeout: 5 }],
        },
      ],
    });
    const [loopback, server] = config.ups[0]?.remote_servers ?? [];
    assert.equal(loopback?.host, '127.0.0.1');
    assert.equal(loopback?.shutdown_command, 'sudo shutdown -h now');
    assert.equal(loopback?.host_identity_command, 'cat /etc/machine-id');
    assert.deepEqual(loopback?.ssh_options, []);
    assert.equal(loopback?.shutdown_safety_margin, 60);
    assert.equal(server?.connect_timeout, 10);
    assert.deepEqual(server?.pre_shutdown_commands, [
      { action: 'sync', timeout: 45 },
      { command: 'x', timeout: 5 },
    ]);
  });

  it('effective shutdown orders: explicit, legacy sequential first, default batch', () => {
    const { config } = load({
      remote_servers: [
        { host: 'a', user: 'root' },
        { host: 'b', user: 'root', parallel: false },
        { host: 'c', user: 'root', shutdown_order: 3 },
        { host: 'd', user: 'root', parallel: false },
        { host: 'e', user: 'root', parallel: true },
      ],
    });
    assert.deepEqual(
      effectiveShutdownOrders(config.ups[0]?.remote_servers ?? []),
      [0, -2, 3, -1, 0],
    );
  });

  it('sanitised names and upsd endpoints', () => {
    assert.equal(sanitizeUpsName('UPS@10.0.0.1:3493'), 'UPS-10.0.0.1-3493');
    assert.equal(sanitizeUpsName('a/b'), 'a-b');
    assert.deepEqual(upsdEndpoint('UPS'), { host: 'localhost', port: 3493 });
    assert.deepEqual(upsdEndpoint('UPS@nas:3494'), { host: 'nas', port: 3494 });
    assert.deepEqual(upsdEndpoint('UPS@[::1]:3500'), { host: '::1', port: 3500 });
    assert.deepEqual(upsdEndpoint('UPS@[::1]'), { host: '::1', port: 3493 });
  });
});
