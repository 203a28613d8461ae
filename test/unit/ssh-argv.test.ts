import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSshArgv,
  expandSshOptions,
  isTransportTeardown,
  REMOTE_PATH_PREFIX,
  SshOptionError,
  type SshTarget,
} from '../../src/ssh/index.js';

const base: SshTarget = {
  host: '192.0.2.10',
  user: 'admin',
  connectTimeoutSec: 10,
  sshOptions: [],
};

test('default argv: accept-new, ConnectTimeout, BatchMode, user@host, PATH prefix', () => {
  assert.deepEqual(buildSshArgv(base, 'sudo shutdown -h now', { pathPrefix: true }), [
    'ssh',
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'BatchMode=yes',
    'admin@192.0.2.10',
    `${REMOTE_PATH_PREFIX}sudo shutdown -h now`,
  ]);
});

test('probes run without the PATH prefix', () => {
  const argv = buildSshArgv(base, 'true', { pathPrefix: false });
  assert.equal(argv.at(-1), 'true');
});

test('PATH prefix is the spec string exactly', () => {
  assert.equal(
    REMOTE_PATH_PREFIX,
    'export PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/syno/sbin:/usr/syno/bin"; ',
  );
});

test('key path, known-hosts file and options keep the spec order', () => {
  const argv = buildSshArgv(
    {
      ...base,
      keyPath: '/k/id',
      knownHostsFile: '/kh',
      sshOptions: ['-o Port=2222', 'Compression=yes', '-4'],
    },
    'x',
    { pathPrefix: false },
  );
  assert.deepEqual(argv.slice(0, 15), [
    'ssh',
    '-i',
    '/k/id',
    '-o',
    'UserKnownHostsFile=/kh',
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    'Port=2222',
    '-o',
    'Compression=yes',
    '-4',
    '-o',
    'ConnectTimeout=10',
    '-o',
  ]);
});

test('a user StrictHostKeyChecking (any case) replaces accept-new', () => {
  const argv = buildSshArgv({ ...base, sshOptions: ['-o stricthostkeychecking=no'] }, 'x', {
    pathPrefix: false,
  });
  assert.equal(argv.filter((a) => /stricthostkeychecking/i.test(a)).length, 1);
  assert.ok(argv.includes('stricthostkeychecking=no'));
});

test('a user UserKnownHostsFile wins over the injected one', () => {
  const argv = buildSshArgv(
    { ...base, knownHostsFile: '/kh', sshOptions: ['-o UserKnownHostsFile=/dev/null'] },
    'x',
    { pathPrefix: false },
  );
  assert.ok(!argv.includes('UserKnownHostsFile=/kh'));
  assert.ok(argv.includes('UserKnownHostsFile=/dev/null'));
});

test('empty key path adds no -i; port adds -p after the user options', () => {
  const argv = buildSshArgv(
    { ...base, keyPath: '  ', port: 2200, sshOptions: ['-o Port=1'] },
    'x',
    { pathPrefix: false },
  );
  assert.ok(!argv.includes('-i'));
  assert.ok(argv.indexOf('Port=1') < argv.indexOf('-p'));
  assert.equal(argv[argv.indexOf('-p') + 1], '2200');
});

test('option expansion: split "-X value", separate flag + value, bare K=V, blanks dropped', () => {
  assert.deepEqual(expandSshOptions(['-o  A=1', '-i', '/key', 'B=2', '', '-v', '-p 22']), [
    '-o',
    'A=1',
    '-i',
    '/key',
    '-o',
    'B=2',
    '-v',
    '-p',
    '22',
  ]);
});

test('a dangling value-taking flag is rejected', () => {
  assert.throws(() => expandSshOptions(['-o Port=22', '-i']), SshOptionError);
  assert.throws(
    () => buildSshArgv({ ...base, sshOptions: ['-o'] }, 'x', { pathPrefix: false }),
    (error: unknown) => {
      assert.ok(error instanceof SshOptionError);
      assert.equal(error.code, 'SSH_OPTION_INVALID');
      assert.match(error.message, /'-o'/);
      return true;
    },
  );
});

test('hosts and users that could be read as options are rejected', () => {
  assert.throws(
    () => buildSshArgv({ ...base, host: '-oProxyCommand=x' }, 'x', { pathPrefix: false }),
    SshOptionError,
  );
  assert.throws(
    () => buildSshArgv({ ...base, host: '' }, 'x', { pathPrefix: false }),
    SshOptionError,
  );
  assert.throws(
    () => buildSshArgv({ ...base, user: '-x' }, 'x', { pathPrefix: false }),
    SshOptionError,
  );
  assert.throws(
    () => buildSshArgv({ ...base, connectTimeoutSec: 0 }, 'x', { pathPrefix: false }),
    SshOptionError,
  );
  assert.throws(
    () => buildSshArgv({ ...base, port: 70000 }, 'x', { pathPrefix: false }),
    SshOptionError,
  );
});

test('an empty user connects to the bare host', () => {
  assert.ok(buildSshArgv({ ...base, user: '' }, 'x', { pathPrefix: false }).includes('192.0.2.10'));
});

test('transport teardown detection', () => {
  assert.equal(isTransportTeardown('Connection to 10.0.0.5 closed by remote host.\r\n'), true);
  assert.equal(isTransportTeardown('client_loop: send disconnect: Broken pipe'), true);
  assert.equal(isTransportTeardown('read from remote host: Connection reset by peer'), true);
  assert.equal(isTransportTeardown('Connection to nas closed.'), true);
  assert.equal(isTransportTeardown('ssh: connect to host x port 22: Connection refused'), false);
  assert.equal(isTransportTeardown('Permission denied (publickey).'), false);
  assert.equal(isTransportTeardown(''), false);
});
