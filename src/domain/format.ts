/**
 * Number parsing and text formatting shared by the detail texts. Detail and reason texts are a
 * compatibility contract (events table, notifications, logs), so the formatting rules of the
 * original (Python float repr, `int(float(x))` truncation, duration format) live here once.
 */

/** A finite number from a NUT string, or null (rejects '', NaN, ±Inf, junk). */
export function parseNumeric(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (text === '') return null;
  // Python float() accepts these forms; Number() also accepts hex/binary which float() does not.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Python's `repr(float)`: integral values keep a trailing `.0`. */
export function pyFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value);
}

/**
 * Python's `round(x, n)`: the decimal nearest to the exact binary value, exact ties to even.
 * `toFixed` already rounds the exact binary value; only true ties need the even rule.
 */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf('.');
  const tail = exact.slice(point + 1 + decimals);
  if (/^50*$/.test(tail)) {
    const truncated = exact.slice(0, point + 1 + decimals).replace(/\.$/, '');
    const lastDigit = Number(truncated.at(-1));
    const step = 10 ** -decimals;
    const magnitude = lastDigit % 2 === 0 ? Number(truncated) : Number(truncated) + step;
    return Math.sign(value) * Number(magnitude.toFixed(decimals));
  }
  return Number(value.toFixed(decimals));
}

/** Python's `f"{x:.nf}"` (ties to even on the exact value, unlike `toFixed`). */
export function fixed(value: number, decimals: number): string {
  return roundTo(value, decimals).toFixed(decimals);
}

/**
 * Durations in reason texts: `Ns` below a minute, `Mm Ss` below an hour, else `Hh Mm`;
 * `N/A` when the input is not numeric.
 */
export function formatDuration(seconds: number | string | null | undefined): string {
  const value =
    typeof seconds === 'number'
      ? Number.isFinite(seconds)
        ? seconds
        : null
      : parseNumeric(seconds);
  if (value === null) return 'N/A';
  const total = Math.trunc(value);
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m ${total % 60}s`;
  return `${Math.floor(total / 3600)}h ${Math.floor((total % 3600) / 60)}m`;
}

/** Whitespace-split status tokens (`CHRG` never matches `DISCHRG`). */
export function statusTokens(status: string): ReadonlySet<string> {
  return new Set(status.split(/\s+/).filter((token) => token !== ''));
}

const BLANK = /\s/;

/**
 * Whether `token` is one of the whitespace-separated words of `status` (as in `statusTokens`).
 * Scans `status` in place rather than building the token set: the core asks this about a dozen
 * times per poll for every UPS, and the throwaway sets were a large share of its allocation.
 */
export function hasToken(status: string, token: string): boolean {
  if (token === '' || BLANK.test(token)) return false;
  for (let at = status.indexOf(token); at >= 0; at = status.indexOf(token, at + 1)) {
    const end = at + token.length;
    const startsWord = at === 0 || BLANK.test(status[at - 1] as string);
    const endsWord = end === status.length || BLANK.test(status[end] as string);
    if (startsWord && endsWord) return true;
  }
  return false;
}
