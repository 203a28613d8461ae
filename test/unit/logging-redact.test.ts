import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/logging/index.js';

const cases: ReadonlyArray<[name: string, input: string, expected: string]> = [
  ['discord scheme', 'notify discord://12345/abcdef done', 'notify discord://<redacted> done'],
  [
    'discord webhook',
    'url https://discord.com/api/webhooks/123/tok-en?wait=1 end',
    'url https://discord.com/api/webhooks/<redacted> end',
  ],
  [
    'discordapp webhook, upper case',
    'HTTPS://DISCORDAPP.COM/API/WEBHOOKS/9/x',
    'HTTPS://DISCORDAPP.COM/API/WEBHOOKS/<redacted>',
  ],
  ['userinfo password', 'mqtt://user:secret@example:1883', 'mqtt://user:<redacted>@example:1883'],
  ['userinfo in ssh+ scheme', 'ssh+git://root:p4ss@h/x', 'ssh+git://root:<redacted>@h/x'],
  ['token', 'GET /x?token=abc123&b=2', 'GET /x?token=<redacted>&b=2'],
  ['password', 'login password=hunter2 ok', 'login password=<redacted> ok'],
  ['passwd', 'passwd=x1', 'passwd=<redacted>'],
  ['secret', 'client secret=s3cr3t', 'client secret=<redacted>'],
  ['api_key', 'api_key=K1', 'api_key=<redacted>'],
  ['api-key', 'api-key=K2', 'api-key=<redacted>'],
  ['apikey', 'apikey=K3', 'apikey=<redacted>'],
  ['case-insensitive key', 'TOKEN=abc Password=def', 'TOKEN=<redacted> Password=<redacted>'],
  ['several on one line', 'a token=1 b secret=2', 'a token=<redacted> b secret=<redacted>'],
];

for (const [name, input, expected] of cases) {
  test(`redactSecrets: ${name}`, () => {
    assert.equal(redactSecrets(input), expected);
  });
}

test('redactSecrets leaves secret-free text and a user without password alone', () => {
  for (const text of [
    'UPS on battery, 80%',
    'mqtt://user@host:1883',
    'http://host/path',
    'tokens are fine',
    '',
  ]) {
    assert.equal(redactSecrets(text), text);
  }
});

test('redactSecrets is idempotent', () => {
  const once = redactSecrets('mqtt://u:p@h token=t discord://x');
  assert.equal(redactSecrets(once), once);
});
