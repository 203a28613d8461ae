/**
 * Pure framing and quoting of NUT's line protocol (docs/net-protocol.txt). Shared by the client
 * and the embedded simulator so both sides agree byte for byte: a line splitter that copes with
 * replies cut anywhere across TCP chunks, a tokenizer honouring `"..."` and backslash escapes,
 * and an encoder that quotes exactly what needs quoting.
 */
import { NutError } from './errors.js';

/** upsd refuses longer lines; anything beyond this is garbage, not a reply. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Accumulates bytes and yields complete lines (without `\n` / `\r\n`). Decoding happens per
 * line, so a UTF-8 character split across chunks is never corrupted.
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  push(chunk: Buffer | string): string[] {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = this.pending.indexOf(0x0a, start);
      if (nl < 0) break;
      let end = nl;
      if (end > start && this.pending[end - 1] === 0x0d) end -= 1;
      lines.push(this.pending.toString('utf8', start, end));
      start = nl + 1;
    }
    this.pending = start === 0 ? this.pending : this.pending.subarray(start);
    if (this.pending.length > this.maxLineBytes) {
      const size = this.pending.length;
      this.pending = Buffer.alloc(0);
      throw new NutError(
        'PROTOCOL',
        `line longer than ${this.maxLineBytes} bytes without a newline (${size} bytes buffered)`,
      );
    }
    return lines;
  }

  /** Bytes received after the last newline (a partial line). */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}

/**
 * Splits one line into words. Whitespace separates words; `"..."` groups a word that may be
 * empty or contain spaces; a backslash makes the next character literal (inside or outside
 * quotes), which is how `\"` and `\\` travel. An unterminated quote is a protocol error.
 */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  // Runs of plain characters are taken as one slice of `line` (from `runStart`) instead of being
  // appended one character at a time: a per-character `+=` allocates a new string per character,
  // and every poll of every UPS tokenizes ~60 lines.
  let current = '';
  let runStart = -1;
  let inWord = false;
  let inQuotes = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] as string;
    const blank = ch === ' ' || ch === '\t';
    if (ch !== '\\' && ch !== '"' && (inQuotes || !blank)) {
      if (runStart < 0) runStart = i;
      inWord = true;
      continue;
    }
    if (runStart >= 0) {
      current += line.slice(runStart, i);
      runStart = -1;
    }
    if (ch === '\\') {
      if (i + 1 >= line.length)
        throw new NutError('PROTOCOL', `dangling backslash at end of line: ${preview(line)}`);
      current += line[i + 1];
      i += 1;
      inWord = true;
    } else if (ch === '"') {
      inQuotes = !inQuotes;
      inWord = true;
    } else {
      if (inWord) tokens.push(current);
      current = '';
      inWord = false;
    }
  }
  if (inQuotes) throw new NutError('PROTOCOL', `unterminated quote in line: ${preview(line)}`);
  if (runStart >= 0) current += line.slice(runStart);
  if (inWord) tokens.push(current);
  return tokens;
}

const BARE_WORD = /^[A-Za-z0-9._\-@:/+=,[\]]+$/;

/** Quotes a value the way upsd does: `"..."` with `\` and `"` escaped by a backslash. */
export function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (m) => `\\${m}`)}"`;
}

/** Emits a word bare when that is unambiguous, quoted otherwise. Newlines cannot travel. */
export function encodeWord(word: string): string {
  if (/[\r\n]/.test(word)) {
    throw new NutError(
      'INVALID-ARGUMENT',
      `a NUT argument cannot contain a line break: ${JSON.stringify(word)}`,
    );
  }
  return BARE_WORD.test(word) ? word : quote(word);
}

/** One command line, newline included: `encodeCommand(['SET','VAR','ups','x','a b'])`. */
export function encodeCommand(words: readonly string[]): string {
  return `${words.map(encodeWord).join(' ')}\n`;
}

/** Shortens a line for error messages so a megabyte of garbage never lands in a log. */
export function preview(line: string, max = 120): string {
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}...` : printable;
}
