// The spec's `upsname[@host[:port]]` target syntax, including bracketed IPv6 hosts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NutError, formatEndpoint, parseUpsTarget } from '../../src/nut/index.js';

describe('parseUpsTarget', () => {
  const table: Array<[string, { ups: string; host: string; port: number }]> = [
    ['UPS', { ups: 'UPS', host: 'localhost', port: 3493 }],
    ['TestUPS@localhost', { ups: 'TestUPS', host: 'localhost', port: 3493 }],
    ['UPS1@192.168.1.10:3494', { ups: 'UPS1', host: '192.168.1.10', port: 3494 }],
    ['ups@nas.lan', { ups: 'ups', host: 'nas.lan', port: 3493 }],
    ['ups@[::1]:3500', { ups: 'ups', host: '::1', port: 3500 }],
    ['ups@[fe80::1]', { ups: 'ups', host: 'fe80::1', port: 3493 }],
    ['  padded@host  ', { ups: 'padded', host: 'host', port: 3493 }],
  ];
  for (const [input, expected] of table) {
    it(`parses ${input}`, () => assert.deepEqual(parseUpsTarget(input), expected));
  }

  const bad: Array<[string, RegExp]> = [
    ['', /UPS name is empty/],
    ['@host', /UPS name is empty/],
    ['ups@', /nothing follows/],
    ['ups@host:', /port "" is not a number/],
    ['ups@host:abc', /port "abc" is not a number/],
    ['ups@host:0', /outside 1\.\.65535/],
    ['ups@host:70000', /outside 1\.\.65535/],
    ['ups@::1', /IPv6 host must be written in brackets/],
    ['ups@[::1', /missing "\]"/],
    ['ups@[::1]x', /unexpected "x"/],
  ];
  for (const [input, pattern] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseUpsTarget(input),
        (err: unknown) =>
          err instanceof NutError && err.code === 'INVALID-ARGUMENT' && pattern.test(err.message),
      );
    });
  }

  it('formats endpoints, bracketing IPv6', () => {
    assert.equal(formatEndpoint('127.0.0.1', 3493), '127.0.0.1:3493');
    assert.equal(formatEndpoint('::1', 3493), '[::1]:3493');
  });
});
