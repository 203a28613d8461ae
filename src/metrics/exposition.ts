/**
 * The Prometheus text exposition as prom-client prints it (HELP/TYPE lines, `\\` and LF escaped
 * in HELP texts, also `"` in label values, `+Inf`/`-Inf`), with NaN spelled `NaN` as the
 * original prints it. For the families eneru renders itself because they have a series per UPS.
 */
import { labelValue } from './values.js';

/** prom-client's escaping: `\` and LF in HELP texts, and also `"` in label values. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabel(value: string): string {
  return escapeHelp(labelValue(value)).replace(/"/g, '\\"');
}

/** A sample value as the exposition format spells it. */
export function formatSample(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/** `name="value",...` in the given order. */
export function labelText(labels: ReadonlyArray<readonly [string, string]>): string {
  return labels.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',');
}

/**
 * One metric family: HELP, TYPE, then its series. A generator, so a family's series are formatted
 * only while the scrape is being sent (see `expositionChunks`).
 */
export function* family(
  name: string,
  help: string,
  type: 'gauge' | 'histogram',
  series: Iterable<string>,
): Generator<string> {
  yield `# HELP ${name} ${escapeHelp(help)}`;
  yield `# TYPE ${name} ${type}`;
  yield* series;
}

/** About how many characters a scrape is sent in at a time. */
const EXPOSITION_CHUNK_CHARS = 64 * 1024;

/**
 * The exposition text of `families` (each a sequence of lines), separated by a blank line as
 * prom-client separates them and ending with a newline, in chunks of about `chunkChars`
 * characters. The lines are pulled only as the consumer asks for the next chunk: at 1000 UPSes
 * a scrape is ~4.4 MB of text, and holding it whole (its lines, the joined text and the socket
 * buffer at once) raised the daemon's resident memory by ~15 MB after every scrape. Streamed, a
 * scrape holds one chunk and whatever the socket has not sent yet.
 */
export async function* expositionChunks(
  families: AsyncIterable<Iterable<string>>,
  chunkChars: number = EXPOSITION_CHUNK_CHARS,
): AsyncGenerator<string> {
  let chunk = '';
  let first = true;
  for await (const lines of families) {
    if (!first) chunk += '\n';
    first = false;
    for (const line of lines) {
      chunk += `${line}\n`;
      if (chunk.length >= chunkChars) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk !== '') yield chunk;
}
