// Framing and quoting of the NUT line protocol: the splitter must yield the same lines however
// TCP cuts the bytes, and quoting must round-trip values containing `\"`, `\\` and spaces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  LineSplitter,
  NutError,
  encodeCommand,
  encodeWord,
  quote,
  tokenize,
} from '../../src/nut/index.js';

const REPLY =
  'BEGIN LIST VAR TestUPS\n' +
  'VAR TestUPS ups.status "OL CHRG"\r\n' +
  'VAR TestUPS device.model "Say \\"hi\\" \\\\ ok — ü"\n' +
  'END LIST VAR TestUPS\n';

const EXPECTED_LINES = [
  'BEGIN LIST VAR TestUPS',
  'VAR TestUPS ups.status "OL CHRG"',
  'VAR TestUPS device.model "Say \\"hi\\" \\\\ ok — ü"',
  'END LIST VAR TestUPS',
];

describe('LineSplitter', () => {
  it('yields the same lines for a split at every byte boundary', () => {
    const bytes = Buffer.from(REPLY, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const splitter = new LineSplitter();
      const lines = [
        ...splitter.push(bytes.subarray(0, cut)),
        ...splitter.push(bytes.subarray(cut)),
      ];
      assert.deepEqual(lines, EXPECTED_LINES, `cut at byte ${cut}`);
      assert.equal(splitter.bufferedBytes, 0);
    }
  });

  it('yields the same lines when fed one byte at a time and at every pair of cuts', () => {
    const bytes = Buffer.from(REPLY, 'utf8');
    const single = new LineSplitter();
    const lines: string[] = [];
    for (const byte of bytes) lines.push(...single.push(Buffer.from([byte])));
    assert.deepEqual(lines, EXPECTED_LINES);
    for (let a = 0; a < bytes.length; a += 3) {
      for (let b = a; b <= bytes.length; b += 5) {
        const s = new LineSplitter();
        const got = [
          ...s.push(bytes.subarray(0, a)),
          ...s.push(bytes.subarray(a, b)),
          ...s.push(bytes.subarray(b)),
        ];
        assert.deepEqual(got, EXPECTED_LINES, `cuts at ${a}/${b}`);
      }
    }
  });

  it('returns several lines from one chunk and keeps a partial line', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('OK\nOK Goodbye\nVAR x'), ['OK', 'OK Goodbye']);
    assert.equal(s.bufferedBytes, 5);
    assert.deepEqual(s.push(' y "1"\n'), ['VAR x y "1"']);
    assert.deepEqual(s.push('\n'), ['']);
  });

  it('rejects a line longer than the limit with PROTOCOL', () => {
    const s = new LineSplitter(16);
    assert.throws(
      () => s.push('x'.repeat(17)),
      (err: unknown) =>
        err instanceof NutError && err.code === 'PROTOCOL' && /longer than 16/.test(err.message),
    );
    assert.equal(s.bufferedBytes, 0);
  });
});

describe('tokenize', () => {
  const table: Array<[string, string[]]> = [
    ['VAR ups ups.status "OL CHRG"', ['VAR', 'ups', 'ups.status', 'OL CHRG']],
    ['VAR ups x ""', ['VAR', 'ups', 'x', '']],
    ['VAR ups x "a \\"b\\" c"', ['VAR', 'ups', 'x', 'a "b" c']],
    ['VAR ups x "back\\\\slash"', ['VAR', 'ups', 'x', 'back\\slash']],
    ['VAR ups x "trailing\\\\"', ['VAR', 'ups', 'x', 'trailing\\']],
    ['  spaced   words\t tab ', ['spaced', 'words', 'tab']],
    ['ERR DATA-STALE', ['ERR', 'DATA-STALE']],
    ['a\\ b', ['a b']],
    ['"joined"word', ['joinedword']],
    ['run"quoted run"\\x tail', ['runquoted runx', 'tail']],
    ['a"" b', ['a', 'b']],
    ['', []],
  ];
  for (const [line, words] of table) {
    it(`splits ${JSON.stringify(line)}`, () => assert.deepEqual(tokenize(line), words));
  }

  it('rejects an unterminated quote and a dangling backslash with PROTOCOL', () => {
    for (const bad of ['VAR ups x "open', 'VAR ups x \\']) {
      assert.throws(
        () => tokenize(bad),
        (err: unknown) => err instanceof NutError && err.code === 'PROTOCOL',
      );
    }
  });
});

describe('quote / encodeWord / encodeCommand', () => {
  const values = [
    '',
    'plain',
    'two words',
    'a "quoted" value',
    'back\\slash',
    '\\"',
    '"\\\\"',
    'ü € ✓',
    '#hash',
  ];
  for (const value of values) {
    it(`round-trips ${JSON.stringify(value)}`, () => {
      assert.deepEqual(tokenize(`VAR ups x ${quote(value)}`), ['VAR', 'ups', 'x', value]);
      assert.deepEqual(tokenize(encodeCommand(['SET', 'VAR', 'ups', 'x', value]).trimEnd()), [
        'SET',
        'VAR',
        'ups',
        'x',
        value,
      ]);
    });
  }

  it('escapes exactly backslash and double quote', () => {
    assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(quote('plain'), '"plain"');
  });

  it('leaves safe words bare and quotes the rest', () => {
    assert.equal(encodeWord('ups.status'), 'ups.status');
    assert.equal(encodeWord('UPS-1_a@host:3493'), 'UPS-1_a@host:3493');
    assert.equal(encodeWord('two words'), '"two words"');
    assert.equal(encodeWord(''), '""');
    assert.equal(encodeWord('say "x"'), '"say \\"x\\""');
    assert.equal(encodeCommand(['LIST', 'VAR', 'TestUPS']), 'LIST VAR TestUPS\n');
    assert.equal(
      encodeCommand(['SET', 'VAR', 'u', 'ups.id', 'my ups']),
      'SET VAR u ups.id "my ups"\n',
    );
  });

  it('refuses a line break inside an argument', () => {
    for (const bad of ['a\nb', 'a\rb']) {
      assert.throws(
        () => encodeWord(bad),
        (err: unknown) => err instanceof NutError && err.code === 'INVALID-ARGUMENT',
      );
    }
  });
});

describe('quoting fuzz', () => {
  // A small deterministic generator (no Math.random) so a failure is reproducible by seed.
  function* strings(seed: number, count: number): Generator<string> {
    let state = seed;
    const next = (): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state;
    };
    const alphabet = [
      'a',
      'Z',
      '0',
      ' ',
      '\t',
      '"',
      '\\',
      "'",
      '#',
      '=',
      '€',
      'ü',
      '✓',
      '😀',
      '{',
      '}',
      ':',
      '.',
    ];
    for (let i = 0; i < count; i += 1) {
      const length = next() % 24;
      let value = '';
      for (let j = 0; j < length; j += 1) value += alphabet[next() % alphabet.length];
      yield value;
    }
  }

  it('round-trips 2000 random values through quote/encode and the splitter at random cuts', () => {
    let n = 0;
    for (const value of strings(42, 2000)) {
      const line = `VAR ups x ${quote(value)}\n`;
      const bytes = Buffer.from(line, 'utf8');
      const cut = (n * 7919) % (bytes.length + 1);
      n += 1;
      const splitter = new LineSplitter();
      const lines = [
        ...splitter.push(bytes.subarray(0, cut)),
        ...splitter.push(bytes.subarray(cut)),
      ];
      assert.equal(lines.length, 1, JSON.stringify(value));
      assert.deepEqual(
        tokenize(lines[0] as string),
        ['VAR', 'ups', 'x', value],
        JSON.stringify(value),
      );
      assert.deepEqual(
        tokenize(encodeCommand(['SET', 'VAR', 'u', 'x', value]).trimEnd()).at(-1),
        value,
      );
    }
  });
});
