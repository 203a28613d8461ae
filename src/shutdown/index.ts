/**
 * The shutdown adapter: executes the pure plan of `domain/shutdown-plan.ts` — local phases,
 * remote SSH phases, the once-per-daemon local poweroff — behind the flag guards.
 */
export { abortableSleep, type StepContext, type StepResult } from './context.js';
export {
  GroupShutdownController,
  type GroupShutdownControllerDeps,
  type GroupShutdownOutcome,
} from './controller.js';
export {
  describeFailure,
  SpawnExecutor,
  type CommandExecutor,
  type CommandResult,
  type RunOptions,
} from './executor.js';
export { groupFlagPath, ShutdownFlag } from './flag-file.js';
export { LocalPoweroff, type LocalPoweroffDeps, type PoweroffOptions } from './local-poweroff.js';
export { detectOwnContainerId } from './own-container.js';
export { RedundancyShutdownExecutor, type RedundancyExecutorDeps } from './redundancy-executor.js';
export { RedundancyFlag, RedundancyFlagError, redundancyFlagPath } from './redundancy-flag.js';
export { summarise, type RemotePhaseOutcome } from './remote-phase.js';
export type { RemoteServerResult, SshRunner } from './remote-server.js';
export {
  ShutdownRunner,
  summaryLines,
  type SequenceOptions,
  type SequenceResult,
  type ShutdownGroup,
  type ShutdownRunnerDeps,
} from './runner.js';
