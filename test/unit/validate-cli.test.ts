// `eneru validate`: overview, messages and verdict for valid / invalid / missing files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate } from '../../src/cli/validate.js';

let dir = '';
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'eneru-configs');
const deps = {
  version: '9.9.9',
  runtimeContext: 'bare process',
  load: { probeAuthDb: () => ({ state: 'missing' as const }) },
};

function run(
  config: string | undefined,
  extra: object = {},
): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runValidate(
    config === undefined ? {} : { config },
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { ...deps, ...extra },
  );
  return { code, out, err };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eneru-validate-'));
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('eneru validate', () => {
  it('valid multi-UPS file: overview, warning, verdict, exit 0', () => {
    const { code, out } = run(join(fixtures, 'config-dual-ups.yaml'));
    assert.equal(code, 0);
    assert.equal(out[0], 'Eneru v9.9.9');
    assert.ok(out.includes('Runtime context: bare process'));
    assert.ok(out.includes('Mode: multi-UPS (2 UPS groups, coordinator)'));
    assert.ok(out.includes('Dry-run: no'));
    assert.ok(out.includes('Notifications: enabled — discord://***'), 'URLs are redacted');
    assert.ok(!out.some((l) => l.includes('webhook_token')), 'no secret leaks');
    assert.ok(out.includes('  [1] UPS1@192.168.1.10 "Main Rack UPS" (local)'));
    assert.ok(
      out.some((l) =>
        l.includes('Proxmox Node 1 (root@192.168.1.20): stop_proxmox_vms (120s) -> sync (30s)'),
      ),
    );
    assert.ok(
      out.includes('      VMs: virsh shutdown, destroy after 30s'),
      'local group resources',
    );
    assert.ok(out.includes('      Local resources: none (non-local group)'));
    assert.ok(out.some((l) => l.startsWith("WARNING: remote server 'Synology NAS'")));
    assert.equal(out.at(-1), 'Configuration is valid.');
  });

  it('servers are grouped by effective order and redundancy quorum is shown', () => {
    const { code, out } = run(join(fixtures, 'config-redundancy.yaml'));
    assert.equal(code, 0);
    assert.ok(out.includes('      Quorum: min_healthy=1 (degraded→healthy, unknown→critical)'));
    const order1 = out.findIndex((l) => l.startsWith('        Phase 1/2 (order=1)'));
    const order2 = out.findIndex((l) => l.startsWith('        Phase 2/2 (order=2)'));
    assert.ok(order1 > 0 && order2 > order1);
    assert.ok(out[order1 + 1]?.includes('Compute Node 1'));
    assert.ok(out[order2 + 1]?.includes('Top-of-Rack Switch'));
  });

  it('legacy parallel:false servers are listed first as sequential', () => {
    const path = join(dir, 'legacy.yaml');
    writeFileSync(
      path,
      'remote_servers:\n  - {name: a, host: a, user: root, enabled: true}\n  - {name: b, host: b, user: root, enabled: true, parallel: false}\n',
    );
    const { code, out } = run(path);
    assert.equal(code, 0);
    const sequential = out.findIndex((l) => l.includes('(order=-1)'));
    const batch = out.findIndex((l) => l.includes('(order=0)'));
    assert.ok(sequential > 0 && batch > sequential, out.join('\n'));
  });

  it('invalid file: every message and the INVALID verdict with the error count, exit 1', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(
      path,
      'triggers:\n  low_batery: 10\nbehavior:\n  dry_run: "false"\nnotifications:\n  voltage_hysteresis_seconds: 900\n',
    );
    const { code, out } = run(path);
    assert.equal(code, 1);
    assert.ok(
      out.includes(
        "ERROR: unknown config key 'triggers.low_batery'. Did you mean 'low_battery_threshold'?",
      ),
    );
    assert.ok(out.some((l) => l.startsWith("ERROR: 'behavior.dry_run' must be a boolean")));
    assert.ok(out.some((l) => l.startsWith("WARNING: 'notifications.voltage_hysteresis_seconds'")));
    assert.equal(out.at(-1), 'Configuration is INVALID — 2 error(s)');
  });

  it('missing file: config file not found, exit 1', () => {
    const path = join(dir, 'missing.yaml');
    const { code, out, err } = run(path);
    assert.equal(code, 1);
    assert.deepEqual(out, []);
    assert.equal(err[0], `ERROR: config file not found: ${path}`);
    assert.match(err.at(-1) ?? '', /^Configuration is INVALID/);
  });

  it('structural failure prints every problem', () => {
    const path = join(dir, 'structure.yaml');
    writeFileSync(path, 'triggers: 5\nups: "x"\n');
    const { code, err } = run(path);
    assert.equal(code, 1);
    assert.ok(err.includes("ERROR: 'triggers' must be a mapping, got integer."));
    assert.ok(err.includes("ERROR: 'ups' must be a mapping or a list, got string."));
  });

  it('YAML syntax error exits 1', () => {
    const path = join(dir, 'syntax.yaml');
    writeFileSync(path, 'a: [1,\n');
    const { code, err } = run(path);
    assert.equal(code, 1);
    assert.match(err[0] ?? '', /^ERROR: YAML syntax error in .* at line \d+, column \d+/);
  });

  it('no file at the default paths: defaults are shown and valid', () => {
    const { code, out } = run(undefined, {
      load: { ...deps.load, defaultPaths: [join(dir, 'none.yaml')] },
    });
    assert.equal(code, 0);
    assert.ok(out.includes('Config file: (none found; using defaults)'));
    assert.ok(out.includes('No config file found. Using default configuration.'));
    assert.ok(out.includes('  [1] UPS@localhost (local)'));
  });
});
