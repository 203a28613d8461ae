/**
 * Secret redaction for every log output (observability spec §7). Applied to the message and to
 * every string field before any renderer sees the record, so text, JSON, file and syslog lines
 * can never disagree about what was hidden. The rules mirror the original daemon's patterns so
 * log pipelines built around `<redacted>` keep matching.
 */

const REDACTED = '<redacted>';

interface Rule {
  readonly pattern: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}

// Order matters: Discord URLs first (their whole tail is a secret), then userinfo, then
// key=value pairs. Patterns are global + case-insensitive; `replace` never re-scans its output.
const RULES: readonly Rule[] = [
  { pattern: /(discord:\/\/)[^\s]+/gi, replace: (_m, scheme = '') => `${scheme}${REDACTED}` },
  {
    pattern: /(https:\/\/discord(?:app)?\.com\/api\/webhooks\/)[^\s]+/gi,
    replace: (_m, prefix = '') => `${prefix}${REDACTED}`,
  },
  {
    pattern: /([a-z][a-z0-9+.-]*:\/\/)([^:/\s]+):([^@\s]+)@/gi,
    replace: (_m, scheme = '', user = '') => `${scheme}${user}:${REDACTED}@`,
  },
  {
    pattern: /((?:token|password|passwd|secret|api[_-]?key)=)[^\s&]+/gi,
    replace: (_m, key = '') => `${key}${REDACTED}`,
  },
];

/**
 * Hide credentials in free text: `discord://…` and Discord webhook URL tails, the password of
 * `scheme://user:pass@`, and the values of `token=`, `password=`, `passwd=`, `secret=`,
 * `api_key=` / `api-key=` / `apikey=` (case-insensitive). Text without secrets is returned as is.
 */
export function redactSecrets(text: string): string {
  // Every rule needs a `://` or an `=`; most log lines have neither and skip the regexes.
  if (!text.includes('://') && !text.includes('=')) return text;
  let out = text;
  for (const rule of RULES) {
    out = out.replace(
      rule.pattern,
      rule.replace as (substring: string, ...args: unknown[]) => string,
    );
  }
  return out;
}
