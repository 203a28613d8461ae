/**
 * The live state store: the one place the latest poll of every UPS is kept. Monitors write it
 * after each poll; the HTTP API, metrics, MQTT and dashboard only read it, so no request ever
 * polls NUT and every output shows the same figures.
 */
import type { RedundancyGroupSnapshot, RemoteHealthRow, UpsSnapshot } from '../domain/types.js';

export interface UpsIdentity {
  /** Configured NUT name, `ups[@host[:port]]`. */
  name: string;
  /** `display_name` or the name. */
  label: string;
  displayName: string | null;
  /** Sanitised name (`@ : /` → `-`): API `groupId`, event `source`, DB stem. */
  groupId: string;
  isLocal: boolean;
}

export interface LiveUps {
  identity: UpsIdentity;
  snapshot: UpsSnapshot;
}

type Listener = (groupId: string) => void;

export class LiveStateStore {
  private readonly upses = new Map<string, LiveUps>();
  private readonly remoteHealth = new Map<string, RemoteHealthRow[]>();
  private redundancy: RedundancyGroupSnapshot[] = [];
  private readonly listeners = new Set<Listener>();

  register(identity: UpsIdentity, initial: UpsSnapshot): void {
    this.upses.set(identity.groupId, { identity, snapshot: initial });
  }

  update(groupId: string, snapshot: UpsSnapshot): void {
    const entry = this.upses.get(groupId);
    if (!entry) return;
    entry.snapshot = snapshot;
    for (const listener of this.listeners) listener(groupId);
  }

  /** UPSes in configuration order. */
  list(): LiveUps[] {
    return [...this.upses.values()];
  }

  /** Finds a UPS by its configured name or its sanitised groupId. */
  find(nameOrGroupId: string): LiveUps | undefined {
    const direct = this.upses.get(nameOrGroupId);
    if (direct) return direct;
    for (const entry of this.upses.values()) {
      if (entry.identity.name === nameOrGroupId) return entry;
    }
    return undefined;
  }

  /** Replaces the rows of one remote-health manager (keyed by its group label). */
  setRemoteHealth(managerLabel: string, rows: RemoteHealthRow[]): void {
    this.remoteHealth.set(managerLabel, rows);
  }

  remoteHealthRows(): RemoteHealthRow[] {
    return [...this.remoteHealth.values()].flat();
  }

  remoteHealthFor(managerLabel: string): RemoteHealthRow[] {
    return this.remoteHealth.get(managerLabel) ?? [];
  }

  setRedundancyGroups(groups: RedundancyGroupSnapshot[]): void {
    this.redundancy = groups;
  }

  redundancyGroups(): RedundancyGroupSnapshot[] {
    return this.redundancy;
  }

  /** Called after every snapshot update; returns the unsubscribe function. */
  onUpdate(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
