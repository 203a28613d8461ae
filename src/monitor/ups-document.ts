/**
 * The one public view of live state: builds the `/api/v1/ups` document and its per-UPS objects.
 * The HTTP API serves it, the MQTT publisher sends the same document, so no figure is ever
 * computed twice. Pure: reads the live store, takes the wall clock as an argument.
 *
 * Field rules (observability §3.4): `batteryCharge`, `runtime`, `load` and the raw power-quality
 * readings are the NUT strings verbatim (`''` when unpublished); `nominalVoltage`/`warningLow`/
 * `warningHigh` are numbers, null before the first good poll.
 */
import type {
  ConnectionState,
  RedundancyGroupSnapshot,
  RemoteHealthRow,
  RemoteHealthStatus,
} from '../domain/types.js';
import type { LiveStateStore, LiveUps } from './live-state.js';

/** `runtime.loopbackDelegate`: the `is_host_loopback` remote used for local actions in a container. */
export type LoopbackDelegate =
  | { configured: false }
  | {
      configured: true;
      host: string;
      user: string;
      status?: RemoteHealthStatus;
      lastChecked?: number | null;
      lastError?: string | null;
    };

export interface RuntimeInfo {
  /** `container (Docker)`, `systemd service`, `bare process`, ... */
  context: string;
  loopbackDelegate: LoopbackDelegate;
}

export interface PowerQuality {
  inputVoltage: string;
  outputVoltage: string;
  batteryVoltage: string;
  temperature: string;
  inputFrequency: string;
  outputFrequency: string;
  voltageState: string;
  avrState: string;
  bypassState: string;
  overloadState: string;
  nominalVoltage: number | null;
  warningLow: number | null;
  warningHigh: number | null;
}

export interface UpsObject {
  groupId: string;
  name: string;
  label: string;
  displayName: string | null;
  isLocal: boolean;
  status: string;
  batteryCharge: string;
  runtime: string;
  load: string;
  powerQuality: PowerQuality;
  depletionRate: number;
  timeOnBattery: number;
  /** Epoch seconds (float) of the last good poll, 0 when never polled. */
  lastUpdateTime: number;
  connectionState: ConnectionState;
  triggerActive: boolean;
  triggerReason: string;
  staleDataCount: number;
  remoteHealth: RemoteHealthRow[];
  /** eneru computes no battery-health score in this version: always null. */
  batteryHealth: null;
  /** eneru does no energy accounting in this version: always null (as with `energy.enabled: false`). */
  energy: null;
  /** eneru tracks no self-tests in this version: always null. */
  selfTest: null;
}

export interface RedundancyGroupObject extends RedundancyGroupSnapshot {
  remoteHealth: RemoteHealthRow[];
}

export interface UpsDocument {
  generatedAt: number;
  redundancyGroups: RedundancyGroupObject[];
  runtime: RuntimeInfo;
  runtimeContext: string;
  ups: UpsObject[];
  version: string;
}

export interface UpsObjectExtras {
  remoteHealth: RemoteHealthRow[];
}

export interface UpsDocumentInput {
  live: LiveStateStore;
  /** eneru's package.json version. */
  version: string;
  runtime: RuntimeInfo;
  nowWallMs: number;
}

function raw(vars: Readonly<Record<string, string>>, key: string): string {
  return vars[key] ?? '';
}

/** One UPS row; `extras.remoteHealth` are the rows of the manager whose group is this UPS's label. */
export function buildUpsObject(live: LiveUps, extras: UpsObjectExtras): UpsObject {
  const { identity, snapshot } = live;
  const vars = snapshot.vars;
  return {
    groupId: identity.groupId,
    name: identity.name,
    label: identity.label,
    displayName: identity.displayName,
    isLocal: identity.isLocal,
    status: snapshot.status,
    batteryCharge: raw(vars, 'battery.charge'),
    runtime: raw(vars, 'battery.runtime'),
    load: raw(vars, 'ups.load'),
    powerQuality: {
      inputVoltage: raw(vars, 'input.voltage'),
      outputVoltage: raw(vars, 'output.voltage'),
      batteryVoltage: raw(vars, 'battery.voltage'),
      temperature: raw(vars, 'ups.temperature'),
      inputFrequency: raw(vars, 'input.frequency'),
      outputFrequency: raw(vars, 'output.frequency'),
      voltageState: snapshot.voltageState,
      avrState: snapshot.avrState,
      bypassState: snapshot.bypassState,
      overloadState: snapshot.overloadState,
      nominalVoltage: snapshot.nominalVoltage,
      warningLow: snapshot.warningLow,
      warningHigh: snapshot.warningHigh,
    },
    depletionRate: snapshot.depletionRatePctPerMin,
    timeOnBattery: Math.trunc(snapshot.timeOnBatterySec),
    lastUpdateTime: snapshot.lastUpdateWallMs > 0 ? snapshot.lastUpdateWallMs / 1000 : 0,
    connectionState: snapshot.connectionState,
    triggerActive: snapshot.triggerActive,
    triggerReason: snapshot.triggerReason,
    staleDataCount: snapshot.staleDataCount,
    remoteHealth: extras.remoteHealth,
    batteryHealth: null,
    energy: null,
    selfTest: null,
  };
}

/** The remote-health manager label of a redundancy group (`group` column of its rows). */
export function redundancyHealthLabel(groupName: string): string {
  return `redundancy:${groupName}`;
}

export function buildUpsDocument(input: UpsDocumentInput): UpsDocument {
  const { live } = input;
  return {
    generatedAt: input.nowWallMs / 1000,
    redundancyGroups: live.redundancyGroups().map((group) => ({
      ...group,
      remoteHealth: live.remoteHealthFor(redundancyHealthLabel(group.name)),
    })),
    runtime: { context: input.runtime.context, loopbackDelegate: input.runtime.loopbackDelegate },
    runtimeContext: input.runtime.context,
    ups: live
      .list()
      .map((entry) =>
        buildUpsObject(entry, { remoteHealth: live.remoteHealthFor(entry.identity.label) }),
      ),
    version: input.version,
  };
}
