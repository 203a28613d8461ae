// Loading files: missing / unreadable / YAML syntax / structural gate errors, the default search
// path, and the YAML 1.1 dialect PyYAML users rely on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigLoadError, loadConfigFile, parseConfig } from '../../src/config/index.js';

let dir = '';
const opts = { probeAuthDb: () => ({ state: 'missing' as const }) };

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function loadError(fn: () => unknown): ConfigLoadError {
  try {
    fn();
  } catch (cause) {
    assert.ok(cause instanceof ConfigLoadError, `expected ConfigLoadError, got ${String(cause)}`);
    return cause;
  }
  assert.fail('expected a ConfigLoadError');
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eneru-config-load-'));
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('config loading errors', () => {
  it('explicit missing path → NOT_FOUND', () => {
    const path = join(dir, 'nope.yaml');
    const error = loadError(() => loadConfigFile(path, opts));
    assert.equal(error.code, 'NOT_FOUND');
    assert.equal(error.message, `config file not found: ${path}`);
  });

  it('unreadable file → UNREADABLE', () => {
    const path = join(dir, 'a-directory.yaml');
    mkdirSync(path);
    assert.equal(loadError(() => loadConfigFile(path, opts)).code, 'UNREADABLE');
    if (process.getuid?.() !== 0) {
      const locked = write('locked.yaml', 'ups: {}\n');
      chmodSync(locked, 0o000);
      assert.equal(loadError(() => loadConfigFile(locked, opts)).code, 'UNREADABLE');
    }
  });

  it('YAML syntax error → YAML with line and column', () => {
    const path = write('broken.yaml', 'ups:\n  name: "UPS@x"\ntriggers: [1,\nlocal_shutdown: {}\n');
    const error = loadError(() => loadConfigFile(path, opts));
    assert.equal(error.code, 'YAML');
    assert.match(error.message, /at line \d+, column \d+/);
    assert.ok(error.message.includes(path));
  });

  it('root not a mapping → STRUCTURE', () => {
    assert.equal(
      loadError(() => loadConfigFile(write('list.yaml', '- a\n- b\n'), opts)).code,
      'STRUCTURE',
    );
    assert.equal(loadError(() => parseConfig('just text', opts)).code, 'STRUCTURE');
  });

  it('structural gate: scalars where mappings or lists are needed, all reported', () => {
    const error = loadError(() =>
      parseConfig(
        {
          triggers: 5,
          notifications: { urls: 'x' },
          api: { allowed_hosts: 'h' },
          filesystems: { unmount: { mounts: '/mnt' } },
          ups: [{ name: 'A' }],
          redundancy_groups: [{ name: 'g', ups_sources: 'A' }],
        },
        opts,
      ),
    );
    assert.equal(error.code, 'STRUCTURE');
    assert.deepEqual([...error.problems].sort(), [
      "'api.allowed_hosts' must be a list, got string.",
      "'filesystems.unmount.mounts' must be a list, got string.",
      "'notifications.urls' must be a list, got string.",
      "'redundancy_groups[0].ups_sources' must be a list, got string.",
      "'triggers' must be a mapping, got integer.",
    ]);
  });

  it('ups must be a mapping or a list', () => {
    const error = loadError(() => parseConfig({ ups: 'UPS@localhost' }, opts));
    assert.equal(error.message, "'ups' must be a mapping or a list, got string.");
  });

  it('per-UPS triggers and remote server mounts are gated too', () => {
    assert.match(
      loadError(() => parseConfig({ ups: [{ name: 'A', triggers: 3 }] }, opts)).message,
      /'ups\[0\]\.triggers' must be a mapping/,
    );
    assert.match(
      loadError(() =>
        parseConfig(
          {
            remote_servers: [
              {
                host: 'h',
                pre_shutdown_commands: [{ action: 'unmount_filesystems', mounts: '/x' }],
              },
            ],
          },
          opts,
        ),
      ).message,
      /'remote_servers\[0\]\.pre_shutdown_commands\[0\]\.mounts' must be a list, got string/,
    );
  });

  it('empty sections (null) count as absent', () => {
    const { config, messages } = loadConfigFile(
      write('nulls.yaml', 'api:\nlogging:\nups:\nremote_servers:\n'),
      opts,
    );
    assert.deepEqual(messages, []);
    assert.equal(config.api.port, 9191);
  });
});

describe('config default search path', () => {
  it('no path and no default file → all defaults with source null', () => {
    const loaded = loadConfigFile(undefined, {
      ...opts,
      defaultPaths: [join(dir, 'none.yaml'), join(dir, 'none.yml')],
    });
    assert.equal(loaded.source, null);
    assert.deepEqual(loaded.messages, []);
    assert.equal(loaded.config.ups[0]?.name, 'UPS@localhost');
    assert.equal(loaded.config.local_shutdown.enabled, true);
  });

  it('falls back from .yaml to .yml', () => {
    const yml = write('config.yml', 'ups:\n  name: "Found@host"\n');
    const loaded = loadConfigFile(undefined, {
      ...opts,
      defaultPaths: [join(dir, 'config.yaml'), yml],
    });
    assert.equal(loaded.source, yml);
    assert.equal(loaded.config.ups[0]?.name, 'Found@host');
  });
});

describe('config YAML dialect (PyYAML-compatible)', () => {
  it('yes/no/on/off are booleans, quoted ones are strings', () => {
    const path = write(
      'bools.yaml',
      'behavior:\n  dry_run: yes\napi:\n  enabled: on\nmqtt:\n  enabled: "false"\n',
    );
    const { config, messages } = loadConfigFile(path, opts);
    assert.equal(config.behavior.dry_run, true);
    assert.equal(config.api.enabled, true);
    assert.deepEqual(
      messages.map((m) => m.text),
      [`ERROR: 'mqtt.enabled' must be a boolean (true or false, unquoted), got string "false".`],
    );
  });

  it('single letters y/n stay strings, as in PyYAML', () => {
    const path = write(
      'letters.yaml',
      'ups:\n  display_name: y\nremote_servers:\n  - {host: h, user: n}\n',
    );
    const { config, messages } = loadConfigFile(path, opts);
    assert.deepEqual(messages, []);
    assert.equal(config.ups[0]?.display_name, 'y');
    assert.equal(config.ups[0]?.remote_servers[0]?.user, 'n');
  });

  it('times and dates stay strings', () => {
    const path = write(
      'times.yaml',
      'reports:\n  time: 12:30\nbattery_health:\n  battery_install_date: 2024-01-15\n',
    );
    const { config, messages } = loadConfigFile(path, opts);
    assert.deepEqual(messages, []);
    assert.equal(config.reports.time, '12:30');
    assert.equal(config.battery_health.battery_install_date, '2024-01-15');
  });

  it('duplicate keys keep the last value', () => {
    const { config } = loadConfigFile(
      write('dup.yaml', 'api:\n  port: 1000\n  port: 2000\n'),
      opts,
    );
    assert.equal(config.api.port, 2000);
  });

  it('an empty file is the all-defaults config', () => {
    const { config, messages, source } = loadConfigFile(write('empty.yaml', '# nothing\n'), opts);
    assert.deepEqual(messages, []);
    assert.ok(source?.endsWith('empty.yaml'));
    assert.equal(config.mode, 'single');
  });
});
