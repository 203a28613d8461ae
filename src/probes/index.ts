/** Public surface of the remote-health probes, for the composition root (src/app/). */
export {
  MIN_INTERVAL_SEC,
  needsRemoteHealthManager,
  RemoteHealthManager,
  type RemoteHealthManagerDeps,
  type RemoteHealthManagerOptions,
} from './remote-health-manager.js';
export {
  expectedIdentity,
  failureReason,
  probeServer,
  PROBE_TIMEOUT_EXTRA_SEC,
  sshTargetOf,
  type ProbeRequest,
} from './probe.js';
export { remoteHealthSidecarPath, writeSidecar, type SidecarDocument } from './sidecar.js';
