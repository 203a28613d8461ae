// LIST VAR parsing against the previous reading of the same UPS: whatever is reused, the result
// always equals a fresh parse of the reply; the previous record comes back only when nothing in
// the reply differs from it, and every malformed reply is still rejected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NutError, parseVarList } from '../../src/nut/index.js';

const WHERE = 'test';

function reply(ups: string, body: string[]): string[] {
  return [`BEGIN LIST VAR ${ups}`, ...body, `END LIST VAR ${ups}`];
}

const BASE = reply('u', ['VAR u ups.status "OL"', 'VAR u battery.charge "100"', 'VAR u x ""']);

describe('parseVarList with the previous reading', () => {
  it('returns the previous record when the reply repeats it', () => {
    const previous = parseVarList(BASE, 'u', WHERE);
    assert.equal(parseVarList([...BASE], 'u', WHERE, previous), previous);
  });

  it('returns a new record with the new value when one value changed', () => {
    const previous = parseVarList(BASE, 'u', WHERE);
    const changed = parseVarList(
      reply('u', ['VAR u ups.status "OB DISCHRG"', 'VAR u battery.charge "100"', 'VAR u x ""']),
      'u',
      WHERE,
      previous,
    );
    assert.notEqual(changed, previous);
    assert.deepEqual(changed, { 'ups.status': 'OB DISCHRG', 'battery.charge': '100', x: '' });
    assert.deepEqual(previous, { 'ups.status': 'OL', 'battery.charge': '100', x: '' });
  });

  it('follows names that appear, disappear, repeat or move', () => {
    const previous = parseVarList(BASE, 'u', WHERE);
    const cases: Array<[string[], Record<string, string>]> = [
      [
        reply('u', ['VAR u ups.status "OL"', 'VAR u battery.charge "100"']),
        { 'ups.status': 'OL', 'battery.charge': '100' },
      ],
      [
        reply('u', [...BASE.slice(1, -1), 'VAR u ups.load "12"']),
        { 'ups.status': 'OL', 'battery.charge': '100', x: '', 'ups.load': '12' },
      ],
      [
        reply('u', ['VAR u ups.status "OL"', 'VAR u ups.status "OL"', 'VAR u x ""']),
        { 'ups.status': 'OL', x: '' },
      ],
      [
        reply('u', ['VAR u x ""', 'VAR u ups.status "OL"', 'VAR u battery.charge "100"']),
        { x: '', 'ups.status': 'OL', 'battery.charge': '100' },
      ],
      [reply('u', []), {}],
    ];
    for (const [lines, expected] of cases) {
      const vars = parseVarList(lines, 'u', WHERE, previous);
      assert.deepEqual(vars, expected, lines.join(' | '));
      assert.deepEqual(Object.keys(vars), Object.keys(expected), lines.join(' | '));
    }
  });

  it('reads quoted, escaped and bare words exactly as a fresh parse does', () => {
    const odd = reply('u', [
      'VAR u q "say \\"hi\\""',
      'VAR u b "back\\\\slash"',
      'VAR u bare 5',
      'VAR  u  spaced  "x"',
      'VAR u "quoted name" "v"',
    ]);
    const fresh = parseVarList(odd, 'u', WHERE);
    assert.deepEqual(parseVarList(odd, 'u', WHERE, fresh), fresh);
    // Values whose text would read differently without escapes are never matched in place.
    const previous = { q: 'say "hi"', b: 'back\\slash', n: 'a b' };
    const literal = reply('u', ['VAR u q "say "hi""', 'VAR u b "back\\slash"', 'VAR u n "a b"']);
    assert.deepEqual(parseVarList(literal, 'u', WHERE, previous), {
      q: 'say hi',
      b: 'backslash',
      n: 'a b',
    });
  });

  it('uses the reply for a UPS name that needs quoting', () => {
    const lines = ['BEGIN LIST VAR "my ups"', 'VAR "my ups" a "1"', 'END LIST VAR "my ups"'];
    const previous = parseVarList(lines, 'my ups', WHERE);
    assert.deepEqual(previous, { a: '1' });
    assert.deepEqual(parseVarList(lines, 'my ups', WHERE, previous), { a: '1' });
  });

  it('still rejects malformed replies and lines for another UPS', () => {
    const previous = parseVarList(BASE, 'u', WHERE);
    const bad = [
      reply('u', ['VAR u ups.status "OL"', 'VAR u battery.charge']),
      reply('u', ['VAR other ups.status "OL"', 'VAR u battery.charge "100"', 'VAR u x ""']),
      ['BEGIN LIST VAR u', 'VAR u ups.status "OL"'],
      ['ERR DATA-STALE'],
    ];
    for (const lines of bad) {
      assert.throws(
        () => parseVarList(lines, 'u', WHERE, previous),
        (err: unknown) => err instanceof NutError,
        lines.join(' | '),
      );
    }
  });
});
