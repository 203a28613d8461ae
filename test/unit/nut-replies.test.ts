// Reply interpretation: completeness of LIST blocks, parsing of VAR / UPS / CMD lists and
// GET VAR, every ERR code mapped to a typed NutError, and garbage mapped to PROTOCOL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  NUT_SERVER_ERROR_CODES,
  NutError,
  classify,
  errorFromErrLine,
  expectOk,
  failureClass,
  isKnownServerCode,
  parseCmdList,
  parseGetVar,
  parseUpsList,
  parseVarList,
  replyComplete,
  toNutError,
} from '../../src/nut/index.js';

const WHERE = '127.0.0.1:3493, LIST VAR TestUPS';

function isNutError(code: string, pattern?: RegExp) {
  return (err: unknown): boolean =>
    err instanceof NutError &&
    err.code === code &&
    (pattern === undefined || pattern.test(err.message));
}

describe('replyComplete', () => {
  it('a line reply is complete after one line', () => {
    assert.equal(replyComplete('line', []), false);
    assert.equal(replyComplete('line', ['OK']), true);
  });

  it('a list is complete only at END LIST, or at once for ERR or a non-list line', () => {
    assert.equal(replyComplete('list', ['BEGIN LIST VAR u']), false);
    assert.equal(replyComplete('list', ['BEGIN LIST VAR u', 'VAR u a "1"']), false);
    assert.equal(
      replyComplete('list', ['BEGIN LIST VAR u', 'VAR u a "1"', 'END LIST VAR u']),
      true,
    );
    assert.equal(replyComplete('list', ['ERR DATA-STALE']), true);
    assert.equal(replyComplete('list', ['garbage']), true);
  });
});

describe('list parsing', () => {
  it('parses LIST VAR with escaped values', () => {
    const vars = parseVarList(
      [
        'BEGIN LIST VAR TestUPS',
        'VAR TestUPS ups.status "OB DISCHRG LB"',
        'VAR TestUPS device.model "A \\"B\\" \\\\ C"',
        'VAR TestUPS empty ""',
        'END LIST VAR TestUPS',
      ],
      'TestUPS',
      WHERE,
    );
    assert.deepEqual(vars, {
      'ups.status': 'OB DISCHRG LB',
      'device.model': 'A "B" \\ C',
      empty: '',
    });
  });

  it('parses an empty LIST VAR', () => {
    assert.deepEqual(parseVarList(['BEGIN LIST VAR u', 'END LIST VAR u'], 'u', WHERE), {});
  });

  it('parses LIST UPS and LIST CMD', () => {
    assert.deepEqual(
      parseUpsList(
        ['BEGIN LIST UPS', 'UPS TestUPS "Test \\"one\\""', 'UPS UPS1 ""', 'END LIST UPS'],
        'x',
      ),
      { TestUPS: 'Test "one"', UPS1: '' },
    );
    assert.deepEqual(
      parseCmdList(
        ['BEGIN LIST CMD u', 'CMD u beeper.enable', 'CMD u load.off', 'END LIST CMD u'],
        'u',
        'x',
      ),
      ['beeper.enable', 'load.off'],
    );
  });

  it('parses GET VAR', () => {
    assert.equal(parseGetVar(['VAR u battery.charge "97"'], 'u', 'battery.charge', 'x'), '97');
  });

  const broken: Array<[string, string[]]> = [
    ['garbage first line', ['\u0001 garbage']],
    ['wrong UPS in header', ['BEGIN LIST VAR Other', 'END LIST VAR Other']],
    ['missing END', ['BEGIN LIST VAR TestUPS', 'VAR TestUPS a "1"']],
    ['foreign body line', ['BEGIN LIST VAR TestUPS', 'UPS TestUPS "x"', 'END LIST VAR TestUPS']],
    [
      'VAR line with extra word',
      ['BEGIN LIST VAR TestUPS', 'VAR TestUPS a "1" 2', 'END LIST VAR TestUPS'],
    ],
    ['unterminated quote', ['BEGIN LIST VAR TestUPS', 'VAR TestUPS a "1', 'END LIST VAR TestUPS']],
  ];
  for (const [name, lines] of broken) {
    it(`rejects ${name} with PROTOCOL naming the server`, () => {
      assert.throws(
        () => parseVarList(lines, 'TestUPS', WHERE),
        isNutError('PROTOCOL', /127\.0\.0\.1:3493/),
      );
    });
  }

  it('rejects a GET VAR reply about another variable', () => {
    assert.throws(
      () => parseGetVar(['VAR u other "1"'], 'u', 'battery.charge', 'x'),
      isNutError('PROTOCOL'),
    );
  });

  it('expectOk accepts OK and OK <text>, rejects anything else', () => {
    assert.equal(expectOk(['OK'], 'x'), 'OK');
    assert.equal(expectOk(['OK STARTTLS'], 'x'), 'OK STARTTLS');
    assert.throws(() => expectOk(['OKAY'], 'x'), isNutError('PROTOCOL'));
    assert.throws(() => expectOk(['ERR ACCESS-DENIED'], 'x'), isNutError('ACCESS-DENIED'));
  });
});

describe('ERR mapping', () => {
  for (const code of NUT_SERVER_ERROR_CODES) {
    it(`maps ERR ${code} to a NutError with that code`, () => {
      const lines = [`ERR ${code}`];
      assert.throws(
        () => parseVarList(lines, 'TestUPS', WHERE),
        (err: unknown) => {
          assert.ok(err instanceof NutError);
          assert.equal(err.code, code);
          assert.equal(err.fromServer, true);
          assert.match(
            err.message,
            new RegExp(`127\\.0\\.0\\.1:3493, LIST VAR TestUPS answered ERR ${code}`),
          );
          return true;
        },
      );
      assert.equal(isKnownServerCode(code), true);
      assert.equal(
        failureClass(errorFromErrLine(['ERR', code], WHERE)),
        code === 'DATA-STALE' ? 'stale' : 'hard',
      );
    });
  }

  it('keeps an unknown code verbatim and the extra text', () => {
    const err = errorFromErrLine(['ERR', 'NEW-FANCY-CODE', 'some', 'detail'], WHERE);
    assert.equal(err.code, 'NEW-FANCY-CODE');
    assert.match(err.message, /unknown error code/);
    assert.match(err.message, /\(some detail\)/);
    assert.equal(isKnownServerCode('NEW-FANCY-CODE'), false);
  });

  it('treats a bare ERR as PROTOCOL', () => {
    assert.equal(errorFromErrLine(['ERR'], WHERE).code, 'PROTOCOL');
  });
});

describe('poll classification', () => {
  it('DATA-STALE is stale with the message "Data stale"; the rest are hard errors', () => {
    const stale = classify(new NutError('DATA-STALE', 'x', { fromServer: true }));
    assert.equal(stale.kind, 'stale');
    assert.equal(stale.message, 'Data stale');
    for (const code of [
      'TIMEOUT',
      'CONNECTION',
      'PROTOCOL',
      'UNKNOWN-UPS',
      'DRIVER-NOT-CONNECTED',
      'ACCESS-DENIED',
    ]) {
      const out = classify(new NutError(code, `failure ${code}`));
      assert.equal(out.kind, 'error', code);
      assert.equal(out.message, `failure ${code}`);
    }
  });

  it('appends a TLS hint to TLS failures', () => {
    assert.match(
      classify(new NutError('TLS', 'handshake failed')).message,
      /handshake failed \(check nut\.tls/,
    );
  });

  it('toNutError keeps NutErrors and wraps anything else with a cause', () => {
    const original = new NutError('TIMEOUT', 't');
    assert.equal(toNutError(original, 'CONNECTION', 'ctx'), original);
    const cause = new Error('boom');
    const wrapped = toNutError(cause, 'CONNECTION', 'LIST VAR u');
    assert.equal(wrapped.code, 'CONNECTION');
    assert.equal(wrapped.message, 'LIST VAR u: boom');
    assert.equal(wrapped.cause, cause);
  });
});
