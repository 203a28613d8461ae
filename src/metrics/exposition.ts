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

/** One metric family: HELP and TYPE lines, then its series lines. */
export function family(
  name: string,
  help: string,
  type: 'gauge' | 'histogram',
  series: readonly string[],
): string {
  const head = `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}`;
  return series.length === 0 ? head : `${head}\n${series.join('\n')}`;
}
