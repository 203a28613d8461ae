/**
 * The remote-health sidecar file (core spec §8.3, §9): `{group, generated_at, servers}` next to
 * the state file, rewritten atomically (temp file + rename) after every probe so the API can
 * still show the last rows when no manager is live and a reader never sees half a file.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import type { RemoteHealthRow } from '../domain/types.js';

/**
 * `<state_file>[.<qualifier>].remote-health.json`; the qualifier is the sanitised UPS name in
 * multi-UPS mode or `redundancy-<sanitised>` for a redundancy group, none for a single UPS.
 */
export function remoteHealthSidecarPath(stateFile: string, qualifier: string | null): string {
  return qualifier === null || qualifier === ''
    ? `${stateFile}.remote-health.json`
    : `${stateFile}.${qualifier}.remote-health.json`;
}

export interface SidecarDocument {
  group: string;
  generated_at: number;
  servers: RemoteHealthRow[];
}

export async function writeSidecar(path: string, doc: SidecarDocument): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
