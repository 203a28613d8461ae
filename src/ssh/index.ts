/**
 * The SSH library shared by the shutdown runner and the remote-health probes: one argv
 * builder and one runner, so a probe and a shutdown reach a server the same way. Its bounded
 * process runner also serves the local shutdown commands, so every child the daemon spawns is
 * capped, timed out and killed the same way.
 */
export { buildSshArgv, expandSshOptions, REMOTE_PATH_PREFIX, SshOptionError } from './argv.js';
export type { SshArgvOptions, SshTarget } from './argv.js';
export { isTransportTeardown, MAX_CAPTURE_BYTES, runSsh } from './run.js';
export type { RunSshOptions, SshResult } from './run.js';
export { runBoundedProcess } from './bounded-process.js';
export type { BoundedProcessOptions, BoundedProcessResult } from './bounded-process.js';
