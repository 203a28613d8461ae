/**
 * Inputs and outputs of the pure shutdown planner. The inputs are structural subsets of the
 * normalised config (snake_case keys exactly as the YAML), so the validated `Config` objects
 * are passed straight in while `domain/` stays free of any import outside itself.
 */

export type MountInput = string | { path: string; options?: string | null };
export type ComposeFileInput = string | { path: string; stop_timeout?: number | null };

export interface PreShutdownCommandInput {
  action?: string | null;
  command?: string | null;
  /** Defaults to the server's `command_timeout`. */
  timeout?: number | null;
  path?: string | null;
  mounts?: readonly MountInput[] | null;
}

export interface RemoteServerInput {
  name: string;
  host: string;
  user: string;
  enabled: boolean;
  connect_timeout: number;
  command_timeout: number;
  shutdown_command: string;
  use_sudo: boolean;
  ssh_key_path?: string | null;
  ssh_options: readonly string[];
  pre_shutdown_commands: readonly PreShutdownCommandInput[];
  shutdown_order?: number | null;
  parallel?: boolean | null;
  shutdown_safety_margin: number;
  is_host_loopback?: boolean;
}

export interface VirtualMachinesInput {
  enabled: boolean;
  max_wait: number;
}

export interface ContainersInput {
  enabled: boolean;
  runtime: 'auto' | 'docker' | 'podman';
  stop_timeout: number;
  compose_files: readonly ComposeFileInput[];
  shutdown_all_remaining_containers: boolean;
  include_user_containers: boolean;
}

export interface FilesystemsInput {
  sync_enabled: boolean;
  unmount: { enabled: boolean; timeout: number; mounts: readonly MountInput[] };
}

/** One shutdown group: a UPS entry (single or multi mode) or a redundancy group. */
export interface ShutdownGroupInput {
  is_local: boolean;
  remote_servers: readonly RemoteServerInput[];
  virtual_machines?: VirtualMachinesInput | null;
  containers?: ContainersInput | null;
  filesystems?: FilesystemsInput | null;
}

export interface LocalShutdownInput {
  enabled: boolean;
  command: string;
  message: string;
  drain_on_local_shutdown: boolean;
  trigger_on: 'any' | 'none';
  wall: boolean;
}

/** The parts of the whole config the plan view and tree need besides the group itself. */
export interface PlanConfigInput {
  behavior: { dry_run: boolean };
  local_shutdown: LocalShutdownInput;
  /** Every UPS group (`is_local` decides who powers the host off in coordinator mode). */
  ups: readonly { is_local: boolean }[];
  redundancy_groups?: readonly unknown[] | null;
}

// ---- outputs ----

export interface PlannedCommand {
  /** Action name (`stop_vms`) or `command` for a custom one. */
  label: string;
  /** Predefined action (its command is ours) versus user text. */
  custom: boolean;
  /** The remote command to run, or null when the entry is skipped. */
  command: string | null;
  timeoutSec: number;
  /** Why the entry cannot run (unknown action, missing parameter); logged and skipped. */
  skipReason: string | null;
}

export interface RemoteServerPlan {
  name: string;
  host: string;
  user: string;
  connectTimeoutSec: number;
  commandTimeoutSec: number;
  keyPath: string | null;
  sshOptions: string[];
  isLoopback: boolean;
  /** Effective order (explicit, legacy sequential negative, or 0). */
  order: number;
  preCommands: PlannedCommand[];
  /** `shutdown_command` with the `use_sudo` rule applied. */
  finalCommand: string;
  /** Time this server may take in total (core §8.2). */
  budgetSec: number;
}

export interface RemotePhasePlan {
  order: number;
  servers: RemoteServerPlan[];
}

export interface RemotePlan {
  /** Loopback delegates: their pre-commands run first (phase A), final command last (phase C). */
  loopback: RemoteServerPlan[];
  /** Regular servers by effective order, ascending (phase B). */
  phases: RemotePhasePlan[];
}

export interface MountPlan {
  path: string;
  options: string[];
}

export interface ComposePlan {
  path: string;
  stopTimeoutSec: number;
}

export interface LocalResourcesPlan {
  vms: { enabled: boolean; maxWaitSec: number };
  containers: {
    enabled: boolean;
    runtime: 'auto' | 'docker' | 'podman';
    stopTimeoutSec: number;
    composeFiles: ComposePlan[];
    stopRemaining: boolean;
    includeUserContainers: boolean;
  };
  sync: boolean;
  unmount: { enabled: boolean; timeoutSec: number; mounts: MountPlan[] };
}

export interface ShutdownPlan {
  isLocal: boolean;
  /** Null for non-local groups: their local phases belong to another host. */
  local: LocalResourcesPlan | null;
  remote: RemotePlan;
}

export interface LocalShutdownPlan {
  enabled: boolean;
  /** `command` shell-split, with `message` appended as one element when non-empty. */
  argv: string[];
  wall: boolean;
  drain: boolean;
  triggerOn: 'any' | 'none';
}
