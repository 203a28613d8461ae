// Bad input never crashes the loader: seeded random mutations of the reference config (wrong
// types, nulls, extra keys, dropped keys) either load with messages or fail with a
// ConfigLoadError, and a config that loads is always deep-frozen and normalised.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigLoadError, parseConfig } from '../../src/config/index.js';
import { parseYaml } from '../../src/config/yaml.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'eneru-configs');
const bases = ['config-reference.yaml', 'config-dual-ups.yaml', 'config-redundancy.yaml'].map(
  (name) => parseYaml(readFileSync(join(fixtures, name), 'utf8'), name),
);

/** mulberry32: a tiny deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPLACEMENTS: unknown[] = [
  null,
  0,
  -1,
  1.5,
  70000,
  '',
  'false',
  'x',
  true,
  [],
  {},
  ['a'],
  { k: 1 },
];

function mutate(node: unknown, random: () => number, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((item) => mutate(item, random, depth + 1));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const roll = random();
      if (roll < 0.04) continue;
      if (roll < 0.08) out[`${key}_typo`] = value;
      else if (roll < 0.1) out[key] = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)];
      else out[key] = mutate(value, random, depth + 1);
    }
    return out;
  }
  return random() < 0.15 ? REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)] : node;
}

describe('config robustness', () => {
  it('300 mutated documents load or fail cleanly', () => {
    let loaded = 0;
    let rejected = 0;
    for (let seed = 1; seed <= 300; seed += 1) {
      const random = rng(seed);
      const doc = mutate(bases[seed % bases.length], random);
      try {
        const { config, messages } = parseConfig(doc, {
          probeAuthDb: () => ({ state: 'missing' }),
        });
        assert.ok(Object.isFrozen(config), `seed ${seed}: frozen`);
        assert.ok(
          config.ups.every((group) => typeof group.group_id === 'string'),
          `seed ${seed}: groups`,
        );
        assert.ok(
          messages.every((m) => m.text.startsWith(`${m.level}: `)),
          `seed ${seed}: message format`,
        );
        loaded += 1;
      } catch (cause) {
        assert.ok(cause instanceof ConfigLoadError, `seed ${seed}: ${String(cause)}`);
        assert.equal(cause.code, 'STRUCTURE');
        rejected += 1;
      }
    }
    assert.ok(loaded > 50 && rejected > 10, `loaded ${loaded}, rejected ${rejected}`);
  });
});
