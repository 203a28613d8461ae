// Every shipped example config loads with the verdict the spec implies, the expected WARNING /
// INFO lines and a few normalised values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hasErrors, loadConfigFile, type LoadedConfig } from '../../src/config/index.js';

const opts = { probeAuthDb: () => ({ state: 'missing' as const }) };
const configs = join(import.meta.dirname, '..', 'fixtures', 'eneru-configs');

function load(path: string): LoadedConfig {
  const loaded = loadConfigFile(path, opts);
  assert.equal(hasErrors(loaded.messages), false, loaded.messages.map((m) => m.text).join('\n'));
  return loaded;
}

const texts = (loaded: LoadedConfig) => loaded.messages.map((m) => m.text);

describe('example configs', () => {
  it('config-minimal.yaml: valid, silent, single local UPS', () => {
    const { config, messages } = load(join(configs, 'config-minimal.yaml'));
    assert.deepEqual(messages, []);
    assert.equal(config.mode, 'single');
    assert.equal(config.ups[0]?.group_id, 'UPS-localhost');
    assert.equal(config.ups[0]?.is_local, true);
    assert.equal(config.local_shutdown.enabled, true);
  });

  it('config-reference.yaml: every section spelled out, valid and silent', () => {
    const { config, messages } = load(join(configs, 'config-reference.yaml'));
    assert.deepEqual(messages, []);
    const [group] = config.ups;
    assert.equal(group?.name, 'UPS@192.168.178.11');
    assert.deepEqual(group?.nut_control.allowed_commands, [
      'test.battery.start',
      'test.battery.start.quick',
      'beeper.toggle',
    ]);
    assert.deepEqual(group?.filesystems.unmount.mounts, [
      '/mnt/media',
      { path: '/mnt/nas', options: '-l' },
      '/mnt/backup',
    ]);
    assert.equal(group?.remote_servers[0]?.user, 'nas-admin');
    assert.equal(config.reports.weekly_day, 'monday');
    assert.equal(config.battery_health.replacement.threshold_score, 50);
    assert.equal(config.notifications.enabled, true);
    assert.deepEqual(config.notifications.urls, ['discord://webhook_id/webhook_token']);
    assert.equal(config.api.auth.enabled, null, 'auth.enabled stays unset');
  });

  it('config-homelab.yaml: valid, mixed compose files and an explicit order', () => {
    const { config, messages } = load(join(configs, 'config-homelab.yaml'));
    assert.deepEqual(messages, []);
    const [group] = config.ups;
    assert.deepEqual(group?.containers.compose_files, [
      { path: '/opt/database/docker-compose.yml', stop_timeout: 120 },
      '/opt/apps/docker-compose.yml',
    ]);
    assert.equal(group?.triggers.low_battery_threshold, 25);
    assert.equal(group?.triggers.extended_time.threshold, 600);
    assert.equal(group?.remote_servers[1]?.shutdown_order, 2);
    assert.equal(
      group?.remote_servers[0]?.pre_shutdown_commands[2]?.timeout,
      30,
      'defaults to command_timeout',
    );
  });

  it('config-container-local.yaml: a valid host-loopback delegate', () => {
    const { config, messages } = load(join(configs, 'config-container-local.yaml'));
    assert.deepEqual(messages, []);
    const [group] = config.ups;
    assert.equal(group?.label, 'Homelab UPS');
    assert.equal(group?.remote_servers[0]?.is_host_loopback, true);
    assert.equal(group?.remote_servers[0]?.host, '127.0.0.1');
    assert.equal(config.remote_health.probe_command, 'id -u');
    assert.equal(config.api.bind, '0.0.0.0');
  });

  it('config-dual-ups.yaml: multi-UPS, per-UPS overrides, only the sudo warning', () => {
    const loaded = load(join(configs, 'config-dual-ups.yaml'));
    assert.deepEqual(texts(loaded), [
      "WARNING: remote server 'Synology NAS' connects as non-root user 'nas-admin' with use_sudo: false and uses pre_shutdown_commands actions; privileged steps will likely fail (set use_sudo: true).",
    ]);
    const { config } = loaded;
    assert.equal(config.mode, 'multi');
    assert.equal(config.coordinator, true);
    assert.equal(config.ups[0]?.is_local, true);
    assert.equal(config.ups[1]?.is_local, false);
    assert.equal(config.ups[0]?.triggers.voltage_sensitivity, 'tight');
    assert.equal(config.ups[1]?.triggers.voltage_sensitivity, 'loose');
    assert.equal(config.ups[1]?.triggers.depletion.grace_period, 90);
    assert.equal(config.ups[1]?.remote_servers.length, 2);
    assert.equal(config.ups[0]?.filesystems.unmount.enabled, true);
  });

  it('config-redundancy.yaml: a valid redundancy group, only the sudo warning', () => {
    const loaded = load(join(configs, 'config-redundancy.yaml'));
    assert.deepEqual(texts(loaded), [
      "WARNING: remote server 'Top-of-Rack Switch' connects as non-root user 'admin' with use_sudo: false and has a shutdown_command without sudo; privileged steps will likely fail (set use_sudo: true).",
    ]);
    const [group] = loaded.config.redundancy_groups;
    assert.equal(group?.min_healthy, 1);
    assert.deepEqual(group?.ups_sources, ['UPS-A@10.0.0.10', 'UPS-B@10.0.0.11']);
    assert.equal(group?.unknown_counts_as, 'critical');
    assert.equal(group?.group_id, 'redundancy-rack-1-dual-psu');
    assert.equal(group?.triggers.low_battery_threshold, 20);
    assert.equal(group?.remote_servers.length, 3);
    assert.equal(loaded.config.local_shutdown.trigger_on, 'none');
  });

  it('eneru-api-examples/config.yaml: one-entry list, MQTT on, notifications off', () => {
    const { config, messages } = load(
      join(import.meta.dirname, '..', 'fixtures', 'eneru-api-examples', 'config.yaml'),
    );
    assert.deepEqual(messages, []);
    assert.equal(config.mode, 'single');
    assert.equal(config.ups[0]?.group_id, 'TestUPS-127.0.0.1-3493');
    assert.equal(config.ups[0]?.label, 'Baseline TestUPS');
    assert.equal(config.ups[0]?.is_local, false);
    assert.equal(config.behavior.dry_run, true);
    assert.equal(config.mqtt.enabled, true);
    assert.equal(config.notifications.enabled, false);
    assert.equal(config.logging.format, 'json');
    assert.equal(config.api.auth.db_path, '/tmp/eneru-example/auth.db');
  });
});
