/**
 * The predefined remote `pre_shutdown_commands` actions (core spec §1.3), the `use_sudo` rule and
 * the shell quoting they need. The templates are POSIX sh (they also run on BusyBox hosts such
 * as ESXi and Synology), quote every user-supplied value, and always exit 0 once they have
 * done their best, so a half-stopped host never blocks the final shutdown command.
 */
import type { MountInput, PreShutdownCommandInput } from './shutdown-plan-types.js';

export const PREDEFINED_ACTIONS = [
  'sync',
  'stop_containers',
  'stop_containers_rootless',
  'stop_vms',
  'stop_proxmox_vms',
  'stop_proxmox_cts',
  'stop_xcpng_vms',
  'stop_esxi_vms',
  'stop_compose',
  'unmount_filesystems',
] as const;
export type PredefinedAction = (typeof PREDEFINED_ACTIONS)[number];

export const SUDO_PREFIX = 'sudo -n ';

/** Single-quotes `value` for POSIX sh. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Splits a command line like Python's `shlex.split` (POSIX mode). */
export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text.charAt(i + 1))) {
        i += 1;
        current += text.charAt(i);
      } else current += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\' && i + 1 < text.length) {
      i += 1;
      current += text.charAt(i);
    } else current += ch;
  }
  if (quote !== null)
    throw new ShellSplitError(`unterminated ${quote} quote in ${JSON.stringify(text)}`);
  if (inWord) words.push(current);
  return words;
}

export class ShellSplitError extends Error {
  readonly code = 'SHELL_SPLIT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ShellSplitError';
  }
}

/** `sudo -n ` prefix for the final command under `use_sudo` (not when it already starts `sudo `). */
export function applyUseSudo(command: string, useSudo: boolean): string {
  const trimmed = command.trim();
  if (!useSudo || trimmed.startsWith('sudo ') || trimmed === 'sudo') return trimmed;
  return `${SUDO_PREFIX}${trimmed}`;
}

/** A mount entry as `{path, options[]}`; options are whitespace-split (`"-l -f"`). */
export function normaliseMount(mount: MountInput): { path: string; options: string[] } {
  if (typeof mount === 'string') return { path: mount.trim(), options: [] };
  const options = (mount.options ?? '').trim();
  return { path: mount.path.trim(), options: options === '' ? [] : options.split(/\s+/) };
}

function stopContainers(s: string, t: number): string {
  return [
    `t=${t}`,
    `for rt in docker podman; do command -v "$rt" >/dev/null 2>&1 || continue; ids=$(${s}"$rt" ps -q 2>/dev/null); [ -n "$ids" ] && ${s}"$rt" stop -t "$t" $ids; done`,
    'true',
  ].join('; ');
}

/**
 * Starts `graceful` (long-running tools are backgrounded with their output detached, so the ssh
 * session does not wait for them), waits up to `t` s in 5 s steps while `probe` still lists
 * something, then runs `force` on what is left.
 */
function gracefulThenForce(graceful: string, probe: string, force: string, t: number): string {
  return [
    `t=${t}`,
    graceful,
    `w=0; while [ "$w" -lt "$t" ] && [ -n "$(${probe})" ]; do sleep 5; w=$((w+5)); done`,
    force,
    'true',
  ].join('; ');
}

function template(
  action: PredefinedAction,
  entry: PreShutdownCommandInput,
  s: string,
  t: number,
): string | { skip: string } {
  switch (action) {
    case 'sync':
      return 'sync; sync; sleep 2';
    case 'stop_containers':
      return stopContainers(s, t);
    case 'stop_containers_rootless':
      // Rootless containers belong to the SSH user: never through sudo.
      return stopContainers('', t);
    case 'stop_vms': {
      const running = `${s}virsh list --name --state-running 2>/dev/null | grep -v '^$'`;
      return gracefulThenForce(
        `for vm in $(${running}); do ${s}virsh shutdown "$vm"; done`,
        running,
        `for vm in $(${running}); do ${s}virsh destroy "$vm"; done`,
        t,
      );
    }
    case 'stop_proxmox_vms': {
      const running = `${s}qm list 2>/dev/null | awk '$3=="running"{print $1}'`;
      return gracefulThenForce(
        `for id in $(${running}); do ${s}qm shutdown "$id" --timeout "$t" >/dev/null 2>&1 & done`,
        running,
        `for id in $(${running}); do ${s}qm stop "$id"; done`,
        t,
      );
    }
    case 'stop_proxmox_cts': {
      const running = `${s}pct list 2>/dev/null | awk 'NR>1 && $2=="running"{print $1}'`;
      return gracefulThenForce(
        `for id in $(${running}); do ${s}pct shutdown "$id" --timeout "$t" >/dev/null 2>&1 & done`,
        running,
        `for id in $(${running}); do ${s}pct stop "$id"; done`,
        t,
      );
    }
    case 'stop_xcpng_vms': {
      const running = `${s}xe vm-list power-state=running is-control-domain=false --minimal 2>/dev/null | tr ',' ' '`;
      return gracefulThenForce(
        `for u in $(${running}); do ${s}xe vm-shutdown uuid="$u" >/dev/null 2>&1 & done`,
        running,
        `for u in $(${running}); do ${s}xe vm-shutdown uuid="$u" force=true; done`,
        t,
      );
    }
    case 'stop_esxi_vms': {
      const running = `for id in $(${s}vim-cmd vmsvc/getallvms 2>/dev/null | awk 'NR>1{print $1}'); do ${s}vim-cmd vmsvc/power.getstate "$id" 2>/dev/null | grep -q 'Powered on' && echo "$id"; done`;
      return gracefulThenForce(
        `for id in $(${running}); do ${s}vim-cmd vmsvc/power.shutdown "$id"; done`,
        running,
        `for id in $(${running}); do ${s}vim-cmd vmsvc/power.off "$id"; done`,
        t,
      );
    }
    case 'stop_compose': {
      const path = (entry.path ?? '').trim();
      if (path === '') return { skip: "stop_compose needs 'path'" };
      const file = shellQuote(path);
      return `if command -v docker >/dev/null 2>&1; then ${s}docker compose -f ${file} down -t ${t}; else ${s}podman compose -f ${file} down -t ${t}; fi`;
    }
    case 'unmount_filesystems': {
      const mounts = (entry.mounts ?? []).map(normaliseMount).filter((m) => m.path !== '');
      if (mounts.length === 0) return { skip: "unmount_filesystems needs 'mounts'" };
      const lines = mounts.map(
        (m) =>
          `${s}umount ${[...m.options, m.path].map(shellQuote).join(' ')} || echo "umount failed: ${m.path.replace(/["\\$`]/g, '')}" >&2`,
      );
      return ['sync', ...lines, 'true'].join('; ');
    }
  }
}

function isPredefined(action: string): action is PredefinedAction {
  return (PREDEFINED_ACTIONS as readonly string[]).includes(action);
}

/**
 * The remote command of one `pre_shutdown_commands` entry. A bad action or missing parameter is a
 * runtime skip (core §1.3), not an error: the rest of the sequence still runs.
 */
export function expandPreCommand(
  entry: PreShutdownCommandInput,
  timeoutSec: number,
  useSudo: boolean,
): { label: string; custom: boolean; command: string | null; skipReason: string | null } {
  const action = (entry.action ?? '').trim();
  const s = useSudo ? SUDO_PREFIX : '';
  if (action !== '') {
    const key = action.toLowerCase();
    if (!isPredefined(key))
      return {
        label: action,
        custom: false,
        command: null,
        skipReason: `unknown action '${action}'`,
      };
    const expanded = template(key, entry, s, timeoutSec);
    if (typeof expanded === 'string')
      return { label: key, custom: false, command: expanded, skipReason: null };
    return { label: key, custom: false, command: null, skipReason: expanded.skip };
  }
  const command = (entry.command ?? '').trim();
  if (command === '')
    return {
      label: 'command',
      custom: true,
      command: null,
      skipReason: "entry has neither 'action' nor 'command'",
    };
  return { label: 'command', custom: true, command, skipReason: null };
}
