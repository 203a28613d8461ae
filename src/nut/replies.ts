/**
 * Pure interpretation of upsd replies: when a reply is complete (one line, or a whole
 * `BEGIN LIST` .. `END LIST` block), and how `UPS` / `CMD` blocks become values (`VAR` blocks:
 * `var-list.ts`). Any shape other than the protocol's is a `PROTOCOL` error naming the
 * offending line.
 */
import { NutError, errorFromErrLine } from './errors.js';
import { preview, tokenize as tokenizeLine } from './protocol.js';

export type ReplyShape = 'line' | 'list';

/** True once `lines` holds a whole reply of the given shape (an `ERR` line always ends one). */
export function replyComplete(shape: ReplyShape, lines: readonly string[]): boolean {
  const first = lines[0];
  if (first === undefined) return false;
  if (shape === 'line' || first.startsWith('ERR ') || first === 'ERR') return true;
  if (!first.startsWith('BEGIN LIST ')) return true; // not a list: let the parser reject it
  const last = lines[lines.length - 1] as string;
  return lines.length > 1 && last.startsWith('END LIST ');
}

/** Throws the typed error if the reply is an `ERR` line. */
export function throwIfErr(lines: readonly string[], where: string): void {
  const first = lines[0] ?? '';
  if (first === 'ERR' || first.startsWith('ERR '))
    throw errorFromErrLine(tokenize(first, where), where);
}

/** Expects a single `OK...` line (INSTCMD, SET VAR, USERNAME, PASSWORD, STARTTLS). */
export function expectOk(lines: readonly string[], where: string): string {
  throwIfErr(lines, where);
  const first = lines[0] ?? '';
  if (first !== 'OK' && !first.startsWith('OK ')) {
    throw new NutError('PROTOCOL', `upsd ${where} sent an unexpected reply: ${preview(first)}`);
  }
  return first;
}

/**
 * Parses a list block for `LIST <kind> [ups]`; `entry` receives the words after the fixed
 * prefix of each body line (e.g. for `VAR ups name "value"`: `['name', 'value']`).
 */
export function parseList(
  lines: readonly string[],
  header: readonly string[],
  itemPrefix: readonly string[],
  where: string,
  entry: (words: string[]) => void,
): void {
  checkListFrame(lines, header, where);
  for (let i = 1; i < lines.length - 1; i += 1)
    entry(listItem(lines[i] as string, itemPrefix, where));
}

/**
 * Checks the frame of a list reply: not `ERR`, a `BEGIN LIST <header>` first line and an
 * `END LIST <header>` last one. The body lines are left to `listItem`.
 */
export function checkListFrame(
  lines: readonly string[],
  header: readonly string[],
  where: string,
): void {
  throwIfErr(lines, where);
  const expectHeader = ['BEGIN', 'LIST', ...header];
  const expectFooter = ['END', 'LIST', ...header];
  const first = lines[0] ?? '';
  if (!sameWords(tokenize(first, where), expectHeader)) {
    throw new NutError('PROTOCOL', `upsd ${where} sent an unexpected reply: ${preview(first)}`);
  }
  const last = lines[lines.length - 1] ?? '';
  if (lines.length < 2 || !sameWords(tokenize(last, where), expectFooter)) {
    throw new NutError('PROTOCOL', `upsd ${where} ended the list with: ${preview(last)}`);
  }
}

/** The words of one list body line after its fixed prefix (`VAR ups`), or a `PROTOCOL` error. */
export function listItem(line: string, itemPrefix: readonly string[], where: string): string[] {
  const words = tokenize(line, where);
  if (!startsWithWords(words, itemPrefix)) {
    throw new NutError('PROTOCOL', `upsd ${where} sent an unexpected list line: ${preview(line)}`);
  }
  // `words` is ours: dropping the prefix in place spares a copy per line of every poll.
  words.splice(0, itemPrefix.length);
  return words;
}

export function parseUpsList(lines: readonly string[], where: string): Record<string, string> {
  const upses: Record<string, string> = {};
  parseList(lines, ['UPS'], ['UPS'], where, (words) => {
    if (words.length < 1 || words.length > 2) {
      throw new NutError('PROTOCOL', `upsd ${where} sent a malformed UPS line: ${words.join(' ')}`);
    }
    upses[words[0] as string] = words[1] ?? '';
  });
  return upses;
}

export function parseCmdList(lines: readonly string[], ups: string, where: string): string[] {
  const commands: string[] = [];
  parseList(lines, ['CMD', ups], ['CMD', ups], where, (words) => {
    if (words.length !== 1)
      throw new NutError('PROTOCOL', `upsd ${where} sent a malformed CMD line: ${words.join(' ')}`);
    commands.push(words[0] as string);
  });
  return commands;
}

/** `GET VAR ups name` → `VAR ups name "value"`. */
export function parseGetVar(
  lines: readonly string[],
  ups: string,
  name: string,
  where: string,
): string {
  throwIfErr(lines, where);
  const first = lines[0] ?? '';
  const words = tokenize(first, where);
  if (words.length !== 4 || !sameWords(words.slice(0, 3), ['VAR', ups, name])) {
    throw new NutError('PROTOCOL', `upsd ${where} sent an unexpected reply: ${preview(first)}`);
  }
  return words[3] as string;
}

/** Tokenizes a reply line, naming the server and request if the line is malformed. */
function tokenize(line: string, where = ''): string[] {
  try {
    return tokenizeLine(line);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new NutError('PROTOCOL', `upsd ${where} sent a malformed line (${detail})`, {
      cause: err,
    });
  }
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWithWords(a, b);
}

/** Whether `words` begins with `prefix` (a loop, not slices: it runs for every list line). */
function startsWithWords(words: readonly string[], prefix: readonly string[]): boolean {
  if (words.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (words[i] !== prefix[i]) return false;
  return true;
}
