/**
 * Shutdown targets: remote servers reached over SSH and the local resources (VMs, containers,
 * filesystems) a local group tears down (core spec §1.3, §8). Only shapes and per-key rules live
 * here; cross-key rules (shutdown_order vs parallel, loopback ownership) are in ../rules/.
 */
import { z } from 'zod';
import {
  bool,
  choice,
  int,
  intIn,
  nullableStr,
  safeProbe,
  section,
  str,
  stringList,
} from './primitives.js';

/** The predefined `pre_shutdown_commands` actions: defined once, next to their templates. */
export { PREDEFINED_ACTIONS as REMOTE_ACTIONS } from '../../domain/shutdown-plan-actions.js';

/** `mounts` entries: a bare path or `{path, options}`. */
export const mountSchema = z.union([
  z.string(),
  z.strictObject({ path: z.string(), options: z.string().default('') }),
]);

export const preShutdownCommandSchema = z.strictObject({
  action: z.string().optional(),
  command: z.string().optional(),
  /** Defaults to the server's `command_timeout` during normalisation. */
  timeout: intIn(1).optional(),
  path: z.string().optional(),
  mounts: z.array(mountSchema).optional(),
});

export const remoteServerSchema = z.strictObject({
  name: str(''),
  host: str(''),
  user: str(''),
  enabled: bool(false),
  connect_timeout: int(10, 1),
  command_timeout: int(30, 1),
  shutdown_command: str('sudo shutdown -h now'),
  use_sudo: bool(false),
  ssh_key_path: nullableStr(),
  ssh_options: stringList(),
  pre_shutdown_commands: z.array(preShutdownCommandSchema).default(() => []),
  shutdown_order: intIn(1).optional(),
  parallel: z.boolean().optional(),
  shutdown_safety_margin: int(60, 0),
  is_host_loopback: bool(false),
  host_identity_command: safeProbe('cat /etc/machine-id'),
  expected_host_identity: nullableStr(),
  /** Accepted for old configs and ignored: the PATH prefix is always applied. */
  augment_remote_path: z.unknown().optional(),
});

export const remoteServersSchema = z.array(remoteServerSchema).default(() => []);

export const virtualMachinesSchema = section({
  enabled: bool(false),
  max_wait: int(30, 0),
});

export const composeFileSchema = z.union([
  z.string(),
  z.strictObject({ path: z.string(), stop_timeout: intIn(0).optional() }),
]);

export const containersSchema = section({
  enabled: bool(false),
  runtime: choice(['auto', 'docker', 'podman'] as const, 'auto'),
  stop_timeout: int(60, 0),
  compose_files: z.array(composeFileSchema).default(() => []),
  shutdown_all_remaining_containers: bool(true),
  include_user_containers: bool(false),
});

export const filesystemsSchema = section({
  sync_enabled: bool(true),
  unmount: section({
    enabled: bool(false),
    timeout: int(15, 1),
    mounts: z.array(mountSchema).default(() => []),
  }),
});

export type RemoteServerRaw = z.output<typeof remoteServerSchema>;
export type MountConfig = z.output<typeof mountSchema>;
export type VirtualMachinesConfig = z.output<typeof virtualMachinesSchema>;
export type ContainersConfig = z.output<typeof containersSchema>;
export type FilesystemsConfig = z.output<typeof filesystemsSchema>;
