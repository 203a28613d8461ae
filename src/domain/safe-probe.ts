/**
 * The safe-probe rule (core spec §9): a health probe or identity command must never be able to
 * power anything off, so only plain commands without shell syntax or shutdown verbs pass.
 */
const FORBIDDEN_CHARACTERS = /[;|&$`><()\n\r]/;

const FORBIDDEN_PHRASES = [
  'shutdown',
  'poweroff',
  'reboot',
  'halt',
  'init 0',
  'systemctl poweroff',
  'systemctl reboot',
  'systemctl halt',
  'systemctl stop',
  'service stop',
  'docker stop',
  'docker compose stop',
  'docker-compose stop',
  'podman stop',
  'virsh shutdown',
  'virsh destroy',
  'qm shutdown',
  'qm stop',
  'pct shutdown',
  'pct stop',
];

/** Returns why `command` is unsafe as a probe, or null when it is safe. */
export function unsafeProbeReason(command: string): string | null {
  if (command.trim() === '') return 'must not be empty';
  const character = FORBIDDEN_CHARACTERS.exec(command);
  if (character) return `must not contain shell syntax (found ${JSON.stringify(character[0])})`;
  const lower = command.toLowerCase();
  const phrase = FORBIDDEN_PHRASES.find((p) => lower.includes(p));
  if (phrase) return `must not contain '${phrase}'`;
  return null;
}
