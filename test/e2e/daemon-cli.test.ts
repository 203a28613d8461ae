/**
 * The built CLI as a user meets it: help, version, usage errors, a bad config, and the demo
 * (embedded NUT server, forced dry-run) going through a power cut and stopping on SIGINT.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { spawnEneru } from '../support/daemon.js';
import { freePort } from '../support/ports.js';

async function runToExit(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawnEneru(args);
  const code = await child.exited;
  return { code, out: [...child.stdout, ...child.stderr].join('\n') };
}

describe('eneru CLI', () => {
  test('bare eneru prints help and exits 0', async () => {
    const { code, out } = await runToExit([]);
    assert.equal(code, 0);
    assert.match(out, /Usage: eneru/);
    assert.match(out, /run/);
    assert.match(out, /validate/);
  });

  test('--version and the version verb print Eneru v<version>', async () => {
    for (const args of [['--version'], ['version']]) {
      const { code, out } = await runToExit(args);
      assert.equal(code, 0);
      assert.match(out, /^Eneru v\d+\.\d+\.\d+/m);
    }
  });

  test('bin/eneru runs as an executable: its shebang and Node options work', async () => {
    const launcher = fileURLToPath(new URL('../../bin/eneru', import.meta.url));
    const { stdout } = await promisify(execFile)(launcher, ['--version']);
    assert.match(stdout, /^Eneru v\d+\.\d+\.\d+/m);
  });

  test('run --help lists every run flag', async () => {
    const { code, out } = await runToExit(['run', '--help']);
    assert.equal(code, 0);
    for (const flag of [
      '--config',
      '--dry-run',
      '--demo',
      '--api',
      '--api-bind',
      '--api-port',
      '--exit-after-shutdown',
    ]) {
      assert.ok(out.includes(flag), `run --help mentions ${flag}`);
    }
  });

  test('a bad --api-port is a usage error naming the value', async () => {
    const { code, out } = await runToExit(['run', '--api-port', 'x']);
    assert.equal(code, 2);
    assert.match(out, /port must be an integer, got 'x'/);
    const range = await runToExit(['run', '--api-port', '70000']);
    assert.equal(range.code, 2);
    assert.match(range.out, /port must be in 1\.\.65535, got 70000/);
  });

  test('a missing config file is one clear error and exit 1', async () => {
    const { code, out } = await runToExit(['run', '-c', '/nonexistent/eneru.yaml']);
    assert.equal(code, 1);
    assert.match(out, /config file not found: \/nonexistent\/eneru\.yaml/);
  });

  test('an invalid config blocks run with the key path and exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eneru-cli-'));
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'triggers:\n  low_batery_threshold: 20\n');
    const { code, out } = await runToExit(['run', '-c', path]);
    assert.equal(code, 1);
    assert.match(out, /triggers\.low_batery_threshold/);
    assert.match(out, /low_battery_threshold/);
  });

  test('the demo goes through a power cut in dry-run and stops on SIGINT', async () => {
    const port = await freePort();
    const demo = spawnEneru(['run', '--demo', '--api-port', String(port)], {
      ENERU_DEMO_PHASE_SCALE: '0.15',
    });
    try {
      await demo.waitForOutput(/POWER EVENT: ON_BATTERY/, 30_000);
      await demo.waitForOutput(/POWER EVENT: EMERGENCY_SHUTDOWN_INITIATED/, 30_000);
      await demo.waitForOutput(/\[DRY-RUN\] Would/, 30_000);
      await demo.waitForOutput(/POWER EVENT: POWER_RESTORED/, 40_000);
    } finally {
      const code = await demo.stop('SIGINT');
      assert.equal(code, 0, 'SIGINT stops the demo gracefully');
    }
  });
});
