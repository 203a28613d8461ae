/**
 * eneru's own version, read once from package.json so the CLI, the API and lifecycle events
 * always agree with what was installed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export function readVersion(): string {
  // dist/app/version.js and src/app/version.ts both sit two levels below the package root.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const raw: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (
    typeof raw === 'object' &&
    raw !== null &&
    'version' in raw &&
    typeof raw.version === 'string'
  ) {
    return raw.version;
  }
  return '0.0.0';
}

export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}
