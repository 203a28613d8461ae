/**
 * `LIST VAR` replies → name/value records, with the previous reading of the same UPS reused
 * where nothing changed. Why: a poller keeps each reading for a whole check interval, long enough
 * for V8 to promote it to old space where it then dies; at 1000 UPSes that churn (a 60-entry
 * object and ~60 value strings per UPS per poll) was most of the daemon's heap growth. Reusing
 * what is already old lets the fresh copies die young, or never be made.
 */
import { NutError } from './errors.js';
import { checkListFrame, listItem } from './replies.js';

/** Characters the tokenizer gives a meaning to outside quotes, and inside them. */
const SPECIAL_OUTSIDE_QUOTES = /[ \t"\\]/;
const SPECIAL_INSIDE_QUOTES = /["\\]/;

/**
 * Parses `LIST VAR <ups>`. With `previous` (this UPS's variables from the last poll), an equal
 * value is taken from `previous`, and `previous` itself is returned when every name and value
 * is the same, in the same order.
 */
export function parseVarList(
  lines: readonly string[],
  ups: string,
  where: string,
  previous?: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  checkListFrame(lines, ['VAR', ups], where);
  const itemPrefix = ['VAR', ups];
  const before = previous === undefined ? null : new PreviousVars(previous, ups);
  const end = lines.length - 1;
  // Lines before `changedAt` repeat the previous reading in place: matched once, copied below.
  const changedAt = before === null ? 1 : before.firstChangedLine(lines);
  if (before !== null && changedAt === end && end - 1 === before.names.length) return before.vars;
  const vars: Record<string, string> = {};
  for (let i = 1; i < changedAt && before !== null; i += 1) {
    const name = before.names[i - 1] as string;
    vars[name] = before.vars[name] as string;
  }
  for (let i = changedAt; i < end; i += 1) {
    const line = lines[i] as string;
    const same = before?.nameIfRepeated(line, i - 1);
    if (same !== undefined && before !== null) {
      vars[same] = before.vars[same] as string;
      continue;
    }
    const words = listItem(line, itemPrefix, where);
    if (words.length !== 2)
      throw new NutError('PROTOCOL', `upsd ${where} sent a malformed VAR line: ${words.join(' ')}`);
    const name = words[0] as string;
    const value = words[1] as string;
    vars[name] = before?.valueIfEqual(name, value) ?? value;
  }
  return vars;
}

/**
 * The last reading of one UPS, compared with a new reply line by line. A line that is exactly
 * the text upsd writes for the same position, `VAR <ups> <name> "<value>"`, is matched in place
 * without being tokenized (no strings made). That shortcut is taken only when the UPS name, the
 * variable name and the value hold no character the tokenizer treats specially, so the text has
 * one reading and the result is what the full parse would give; any other line is tokenized.
 */
class PreviousVars {
  readonly names: readonly string[];
  private readonly linePrefix: string;
  private readonly plainUps: boolean;

  constructor(
    readonly vars: Readonly<Record<string, string>>,
    ups: string,
  ) {
    this.names = Object.keys(vars);
    this.linePrefix = `VAR ${ups} `;
    this.plainUps = ups !== '' && !SPECIAL_OUTSIDE_QUOTES.test(ups);
  }

  /** The first body line of `lines` that is not the previous line at its position (or the END line). */
  firstChangedLine(lines: readonly string[]): number {
    let i = 1;
    while (i < lines.length - 1 && this.nameIfRepeated(lines[i] as string, i - 1) !== undefined) {
      i += 1;
    }
    return i;
  }

  /** The name at `index` when `line` is exactly its previous `VAR` line, else undefined. */
  nameIfRepeated(line: string, index: number): string | undefined {
    const name = this.names[index];
    if (name === undefined || !this.plainUps) return undefined;
    const value = this.vars[name] as string;
    const prefix = this.linePrefix;
    const valueAt = prefix.length + name.length + 2; // after `<name> "`
    const matches =
      line.length === valueAt + value.length + 1 &&
      line.startsWith(prefix) &&
      line.startsWith(name, prefix.length) &&
      line.startsWith(' "', valueAt - 2) &&
      line.startsWith(value, valueAt) &&
      line.endsWith('"') &&
      name !== '' &&
      !SPECIAL_OUTSIDE_QUOTES.test(name) &&
      !SPECIAL_INSIDE_QUOTES.test(value);
    return matches ? name : undefined;
  }

  /** The previous string when `name` had this same value, so the new copy can die young. */
  valueIfEqual(name: string, value: string): string | undefined {
    if (!Object.hasOwn(this.vars, name)) return undefined;
    const old = this.vars[name];
    return old === value ? old : undefined;
  }
}
