/**
 * Writes a config file for end-to-end runs: everything under one temp dir, JSON logs, dry-run,
 * a marker command as the local shutdown (never a real power-off), plus per-test YAML lines.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeE2eConfig(
  dir: string,
  upsLines: string[],
  extraLines: string[] = [],
  localShutdownLines: string[] = [],
): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(
    path,
    [
      ...upsLines,
      'behavior:',
      '  dry_run: true',
      'local_shutdown:',
      '  enabled: true',
      `  command: "touch ${join(dir, 'local-shutdown-marker')}"`,
      ...localShutdownLines,
      'logging:',
      '  format: json',
      `  file: "${join(dir, 'eneru.log')}"`,
      `  state_file: "${join(dir, 'ups-monitor.state')}"`,
      `  battery_history_file: "${join(dir, 'battery-history')}"`,
      `  shutdown_flag_file: "${join(dir, 'shutdown-flag')}"`,
      'statistics:',
      `  db_directory: "${join(dir, 'stats')}"`,
      ...extraLines,
      '',
    ].join('\n'),
  );
  return path;
}
