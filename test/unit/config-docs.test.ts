// Every YAML example in docs/configuration.md must pass `eneru validate` without errors, so the
// documentation cannot drift from the schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors, parseConfig } from '../../src/config/index.js';
import { parseYaml } from '../../src/config/yaml.js';

const page = readFileSync(
  join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'),
  'utf8',
);
const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

describe('docs/configuration.md examples', () => {
  it('has examples', () => assert.ok(blocks.length >= 4, `found ${blocks.length}`));
  blocks.forEach((block, index) => {
    it(`example ${index + 1} is valid`, () => {
      const { messages } = parseConfig(parseYaml(block, `example ${index + 1}`), {
        probeAuthDb: () => ({ state: 'missing' }),
      });
      assert.equal(hasErrors(messages), false, messages.map((m) => m.text).join('\n'));
    });
  });
});
