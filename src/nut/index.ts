/**
 * Public surface of the NUT library. Nothing here imports from the rest of src/, so the
 * client can be reused (the demo simulator shares its quoting code) and tested on its own.
 */
export { NutClient, type NutClientOptions } from './client.js';
export { NutClientPool } from './pool.js';
export { ReconnectBackoff } from './backoff.js';
export {
  NutError,
  NUT_SERVER_ERROR_CODES,
  NUT_LOCAL_ERROR_CODES,
  errorFromErrLine,
  failureClass,
  isKnownServerCode,
  toNutError,
  type NutErrorCode,
  type NutLocalErrorCode,
  type NutServerErrorCode,
} from './errors.js';
export {
  LineSplitter,
  MAX_LINE_BYTES,
  encodeCommand,
  encodeWord,
  preview,
  quote,
  tokenize,
} from './protocol.js';
export {
  expectOk,
  parseCmdList,
  parseGetVar,
  parseList,
  parseUpsList,
  replyComplete,
  throwIfErr,
  type ReplyShape,
} from './replies.js';
export { parseVarList } from './var-list.js';
export {
  DEFAULT_NUT_HOST,
  DEFAULT_NUT_PORT,
  formatEndpoint,
  parseUpsTarget,
  type UpsTarget,
} from './target.js';
export { STALE_MESSAGE, classify, readPoll, type NutPollOutcome } from './poll.js';
export type { NutTlsMode } from './session.js';
export { normalizeFingerprint, type TlsTrust } from './connection.js';
