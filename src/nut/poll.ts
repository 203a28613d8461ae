/**
 * One full read of a UPS classified into the spec's poll outcomes (core.md §2.1): `DATA-STALE`
 * is stale; every other failure (refused, timeout, unknown UPS, driver gone, access denied,
 * garbage, TLS) is a hard error; a reply without `ups.status` is the hard error
 * `Missing ups.status`. The shape matches the domain's `PollOutcome` structurally.
 */
import { NutError, failureClass, toNutError } from './errors.js';
import type { NutClient } from './client.js';

export type NutPollOutcome =
  | { kind: 'ok'; vars: Readonly<Record<string, string>> }
  | { kind: 'stale'; message: string; error: NutError }
  | { kind: 'error'; message: string; error: NutError };

/** Message used for the stale class, as the original logs it. */
export const STALE_MESSAGE = 'Data stale';

const TLS_HINT = ' (check nut.tls / nut.ca_file: the TLS handshake with upsd failed)';

/**
 * `previousVars` (the variables of the last good poll, if any) lets values that did not change
 * keep their old strings, and the old object itself when nothing changed (see `parseVarList`).
 */
export async function readPoll(
  client: NutClient,
  ups: string,
  signal?: AbortSignal,
  previousVars?: Readonly<Record<string, string>>,
): Promise<NutPollOutcome> {
  try {
    const vars = await client.listVars(ups, signal, previousVars);
    const status = vars['ups.status'];
    if (status === undefined || status.trim() === '') {
      const error = new NutError(
        'PROTOCOL',
        `upsd at ${client.endpoint} reports no ups.status for ${ups}`,
      );
      return { kind: 'error', message: 'Missing ups.status', error };
    }
    return { kind: 'ok', vars };
  } catch (raw) {
    const error = toNutError(raw, 'CONNECTION', `LIST VAR ${ups} on upsd at ${client.endpoint}`);
    return classify(error);
  }
}

/** Maps a NutError onto the stale / hard-error poll classes. */
export function classify(error: NutError): Exclude<NutPollOutcome, { kind: 'ok' }> {
  if (failureClass(error) === 'stale') return { kind: 'stale', message: STALE_MESSAGE, error };
  const message = error.code === 'TLS' ? `${error.message}${TLS_HINT}` : error.message;
  return { kind: 'error', message, error };
}
