/**
 * Zone files (RFC 8536) and POSIX TZ strings read as the C library reads them for `%Z`: real
 * files from the system's tzdata, and hand-built ones for the shapes tzdata does not ship here
 * (version 1 only, "slim" files that rely on their footer, damaged files).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { TzifError, abbreviationAt, parsePosixZone, parseTzif } from '../../src/logging/tzif.js';

interface Built {
  version: '\0' | '2';
  transitions: number[];
  transitionTypes: number[];
  types: Array<[utoff: number, isdst: number, abbreviation: string]>;
  footer?: string;
}

/** A TZif file; version 2 files carry an empty version-1 block, as zic's slim output does. */
function tzif(spec: Built): Buffer {
  const chars = Buffer.from(spec.types.map(([, , name]) => `${name}\0`).join(''), 'latin1');
  const header = (timeCount: number, typeCount: number, charCount: number): Buffer => {
    const buf = Buffer.alloc(44);
    buf.write('TZif', 0, 'latin1');
    buf.write(spec.version, 4, 'latin1');
    buf.writeUInt32BE(timeCount, 32);
    buf.writeUInt32BE(typeCount, 36);
    buf.writeUInt32BE(charCount, 40);
    return buf;
  };
  const data = (timeBytes: 4 | 8): Buffer => {
    const times = Buffer.alloc(spec.transitions.length * timeBytes);
    spec.transitions.forEach((t, i) => {
      if (timeBytes === 8) times.writeBigInt64BE(BigInt(t), i * 8);
      else times.writeInt32BE(t, i * 4);
    });
    let nameAt = 0;
    const types = Buffer.concat(
      spec.types.map(([utoff, isdst, name]) => {
        const entry = Buffer.alloc(6);
        entry.writeInt32BE(utoff, 0);
        entry[4] = isdst;
        entry[5] = nameAt;
        nameAt += name.length + 1;
        return entry;
      }),
    );
    return Buffer.concat([times, Buffer.from(spec.transitionTypes), types, chars]);
  };
  const n = spec.transitions.length;
  if (spec.version === '\0')
    return Buffer.concat([header(n, spec.types.length, chars.length), data(4)]);
  return Buffer.concat([
    header(0, 1, 0),
    Buffer.alloc(6),
    header(n, spec.types.length, chars.length),
    data(8),
    Buffer.from(`\n${spec.footer ?? ''}\n`, 'latin1'),
  ]);
}

const JULY_2026 = Date.UTC(2026, 6, 1) / 1000;
const JANUARY_2026 = Date.UTC(2026, 0, 1) / 1000;

describe('parseTzif and abbreviationAt', () => {
  it("reads the system's zone files", () => {
    const paris = parseTzif(readFileSync('/usr/share/zoneinfo/Europe/Paris'));
    assert.equal(abbreviationAt(paris, JULY_2026, 7200), 'CEST');
    assert.equal(abbreviationAt(paris, JANUARY_2026, 3600), 'CET');
    assert.equal(paris.footer, 'CET-1CEST,M3.5.0,M10.5.0/3');
    assert.equal(
      abbreviationAt(parseTzif(readFileSync('/usr/share/zoneinfo/Asia/Kolkata')), JULY_2026, 19800),
      'IST',
    );
  });

  it('uses time type 0 before the first transition and the last type between transitions', () => {
    const rules = parseTzif(
      tzif({
        version: '\0',
        transitions: [1000, 2000],
        transitionTypes: [1, 0],
        types: [
          [0, 0, 'AAA'],
          [3600, 1, 'BBB'],
        ],
      }),
    );
    assert.equal(abbreviationAt(rules, 999, 0), 'AAA');
    assert.equal(abbreviationAt(rules, 1000, 3600), 'BBB');
    assert.equal(abbreviationAt(rules, 1999, 3600), 'BBB');
    assert.equal(abbreviationAt(rules, 5000, 0), 'AAA');
  });

  it('names nothing when the runtime uses another offset than the zone file at that instant', () => {
    const paris = parseTzif(readFileSync('/usr/share/zoneinfo/Europe/Paris'));
    assert.equal(abbreviationAt(paris, JULY_2026, 3600), '');
    assert.equal(abbreviationAt(paris, Date.UTC(2040, 6, 1) / 1000, 0), '');
  });

  it("follows a slim file's footer after its last transition, by the local offset", () => {
    const rules = parseTzif(
      tzif({
        version: '2',
        transitions: [0],
        transitionTypes: [0],
        types: [[3600, 0, 'CET']],
        footer: 'CET-1CEST,M3.5.0,M10.5.0/3',
      }),
    );
    assert.equal(abbreviationAt(rules, JULY_2026, 7200), 'CEST');
    assert.equal(abbreviationAt(rules, JANUARY_2026, 3600), 'CET');
  });

  it('rejects what is not a zone file, or a damaged one', () => {
    assert.throws(
      () => parseTzif(Buffer.from('not a zone file at all, just some text here..')),
      TzifError,
    );
    const whole = tzif({
      version: '2',
      transitions: [0],
      transitionTypes: [0],
      types: [[0, 0, 'UTC']],
    });
    assert.throws(() => parseTzif(whole.subarray(0, whole.length - 8)), TzifError);
    const badType = tzif({
      version: '\0',
      transitions: [0],
      transitionTypes: [3],
      types: [[0, 0, 'UTC']],
    });
    assert.throws(() => parseTzif(badType), /missing time type/);
  });
});

describe('parsePosixZone', () => {
  it('reads names and offsets (POSIX offsets are west of UTC)', () => {
    assert.deepEqual(parsePosixZone('CET-1CEST,M3.5.0,M10.5.0/3'), {
      standard: 'CET',
      standardUtoff: 3600,
      daylight: 'CEST',
      daylightUtoff: 7200,
    });
    assert.deepEqual(parsePosixZone('<+0530>-5:30'), {
      standard: '+0530',
      standardUtoff: 19800,
      daylight: null,
      daylightUtoff: 23400,
    });
    assert.equal(parsePosixZone('NZST-12NZDT-13,M9.5.0,M4.1.0/3')?.daylightUtoff, 46800);
    assert.equal(parsePosixZone('EST5EDT')?.standardUtoff, -18000);
  });

  it('is null for text that is no POSIX zone', () => {
    assert.equal(parsePosixZone('Nowhere/Atlantis'), null);
    assert.equal(parsePosixZone('X1'), null);
    assert.equal(parsePosixZone(''), null);
  });
});
