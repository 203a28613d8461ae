/**
 * A scrape is sent in chunks produced as they are consumed: the text is exactly the families
 * joined as prom-client joins them, and lines are formatted only when their chunk is asked for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expositionChunks, family } from '../../src/metrics/exposition.js';

async function* families(...blocks: Array<Iterable<string>>): AsyncGenerator<Iterable<string>> {
  yield* blocks;
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe('expositionChunks', () => {
  it('separates families by a blank line and ends with a newline', async () => {
    const chunks = await collect(
      expositionChunks(
        families(family('a', 'A.', 'gauge', ['a 1']), family('b', 'B\\n.', 'gauge', [])),
      ),
    );
    assert.equal(
      chunks.join(''),
      '# HELP a A.\n# TYPE a gauge\na 1\n\n# HELP b B\\\\n.\n# TYPE b gauge\n',
    );
  });

  it('cuts chunks at line ends once they reach the size, whatever the family bounds', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `series_${i} ${i}`);
    const chunks = await collect(
      expositionChunks(families(lines.slice(0, 30), lines.slice(30)), 64),
    );
    assert.ok(chunks.length > 10, `${chunks.length} chunks`);
    for (const chunk of chunks) {
      assert.ok(chunk.endsWith('\n'));
      assert.ok(chunk.length < 64 + 'series_99 99\n'.length, chunk);
    }
    assert.equal(
      chunks.join(''),
      `${lines.slice(0, 30).join('\n')}\n\n${lines.slice(30).join('\n')}\n`,
    );
  });

  it('formats lines only as chunks are consumed', async () => {
    let formatted = 0;
    function* counted(): Generator<string> {
      for (let i = 0; i < 1000; i += 1) {
        formatted += 1;
        yield `line_${i} 1`;
      }
    }
    const chunks = expositionChunks(families(counted()), 100);
    const first = await chunks.next();
    assert.equal(first.done, false);
    assert.ok(formatted < 20, `${formatted} lines formatted for the first chunk`);
    await chunks.return(undefined);
    assert.ok(formatted < 20);
  });

  it('yields nothing for no families', async () => {
    assert.deepEqual(await collect(expositionChunks(families())), []);
  });
});
