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
 * Appends one metric family to the exposition lines `out`: a blank line after the previous
 * family (as prom-client separates them), HELP, TYPE, then its series. Everything of a scrape
 * goes into one array that is joined once: with 1000 UPSes the text is ~4 MB, and joining per
 * family and again per scrape made copies of it that V8 had to promote and collect.
 */
export function family(
  out: string[],
  name: string,
  help: string,
  type: 'gauge' | 'histogram',
  series: readonly string[],
): void {
  if (out.length > 0) out.push('');
  out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  for (const line of series) out.push(line);
}
