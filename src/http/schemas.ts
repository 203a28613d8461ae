/**
 * zod schemas of every route: request (path, query) and response shapes. They feed the OpenAPI 3
 * document at `/api/v1/openapi.json`; query values stay strings here because the handlers apply
 * the original's exact rules and messages themselves (see query.ts).
 */
import { z } from 'zod';

const remoteHealthRow = z.object({
  consecutive_failures: z.number().int(),
  group: z.string(),
  host: z.string(),
  is_host_loopback: z.boolean(),
  last_checked_at: z.number().nullable(),
  last_error: z.string().nullable(),
  last_success_at: z.number().nullable(),
  latency_ms: z.number().nullable(),
  server: z.string(),
  status: z.enum(['DISABLED', 'UNKNOWN', 'CHECKING', 'HEALTHY', 'DEGRADED', 'FAILED']),
  user: z.string(),
});

const loopbackDelegate = z.object({
  configured: z.boolean(),
  host: z.string().optional(),
  user: z.string().optional(),
  status: z.string().optional(),
  lastChecked: z.number().nullable().optional(),
  lastError: z.string().nullable().optional(),
});

export const errorEnvelope = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
  availableEndpoints: z.array(z.string()).optional(),
});

export const upsObject = z.object({
  batteryCharge: z.string().describe('raw battery.charge, "" when absent'),
  batteryHealth: z.null(),
  connectionState: z.enum(['OK', 'GRACE_PERIOD', 'FAILED']),
  depletionRate: z.number().describe('%/min'),
  displayName: z.string().nullable(),
  energy: z.null(),
  groupId: z.string(),
  isLocal: z.boolean(),
  label: z.string(),
  lastUpdateTime: z.number().describe('epoch seconds of the last good poll, 0 = never'),
  load: z.string().describe('raw ups.load, "" when absent'),
  name: z.string(),
  powerQuality: z.object({
    avrState: z.string(),
    batteryVoltage: z.string(),
    bypassState: z.string(),
    inputFrequency: z.string(),
    inputVoltage: z.string(),
    nominalVoltage: z.number().nullable(),
    outputFrequency: z.string(),
    outputVoltage: z.string(),
    overloadState: z.string(),
    temperature: z.string(),
    voltageState: z.string(),
    warningHigh: z.number().nullable(),
    warningLow: z.number().nullable(),
  }),
  remoteHealth: z.array(remoteHealthRow),
  runtime: z.string().describe('raw battery.runtime, "" when absent'),
  selfTest: z.null(),
  staleDataCount: z.number().int(),
  status: z.string(),
  timeOnBattery: z.number().int(),
  triggerActive: z.boolean(),
  triggerReason: z.string(),
});

export const upsDocument = z.object({
  generatedAt: z.number(),
  redundancyGroups: z.array(
    z.object({
      groupId: z.string(),
      healthyCount: z.number().int(),
      isLocal: z.boolean(),
      members: z.array(
        z.object({ effectiveHealth: z.string(), health: z.string(), name: z.string() }),
      ),
      minHealthy: z.number().int(),
      name: z.string(),
      quorumDeferred: z.boolean(),
      quorumLost: z.boolean(),
      remoteHealth: z.array(remoteHealthRow),
      upsSources: z.array(z.string()),
    }),
  ),
  runtime: z.object({ context: z.string(), loopbackDelegate }),
  runtimeContext: z.string(),
  ups: z.array(upsObject),
  version: z.string(),
});

export const health = z.object({ generatedAt: z.number(), status: z.literal('ok') });

export const readiness = z.object({
  capabilities: z.array(z.object({ achievable: z.boolean(), id: z.string(), reason: z.string() })),
  ready: z.boolean(),
  reason: z.string(),
  reasons: z.array(z.string()),
  runtime: z.object({ container: z.boolean(), context: z.string(), loopbackDelegate }).optional(),
  ups: z.array(
    z.object({
      connectionState: z.string(),
      groupId: z.string(),
      label: z.string(),
      lastUpdateTime: z.number(),
      name: z.string(),
    }),
  ),
});

export const endpointIndex = z.object({
  endpoints: z.array(
    z.object({
      description: z.string(),
      path: z.string(),
      query: z.record(z.string(), z.string()).optional(),
    }),
  ),
  generatedAt: z.number(),
  version: z.literal('v1'),
});

export const upsParams = z.object({
  name: z.string().describe('configured UPS name or its sanitized form'),
});

export const historyQuery = z.object({
  metric: z.string().optional().describe('charge (default), runtime, load, voltage, ...'),
  from: z.string().optional().describe('unix timestamp'),
  to: z.string().optional().describe('unix timestamp'),
});

export const history = z.object({
  data: z.array(z.object({ ts: z.number().int(), value: z.number() })),
  from: z.number().int(),
  metric: z.string(),
  to: z.number().int(),
  ups: z.string(),
});

export const eventsQuery = z.object({
  limit: z.string().optional().describe('1..10000, default 100'),
  verbosity: z.string().optional().describe('0..2, default 2'),
  from: z.string().optional().describe('unix timestamp'),
  to: z.string().optional().describe('unix timestamp'),
  before: z.string().optional().describe('unix timestamp cursor'),
  beforeSource: z.string().optional().describe('source-qualified cursor source'),
  beforeId: z.string().optional().describe('source-qualified cursor id'),
});

export const events = z.object({
  events: z.array(
    z.object({
      detail: z.string(),
      eventType: z.string(),
      id: z.number().int(),
      label: z.string(),
      source: z.string(),
      ts: z.number().int(),
      ups: z.string(),
    }),
  ),
  generatedAt: z.number(),
});

const remoteServerView = z.object({
  enabled: z.boolean(),
  hasPreShutdownCommands: z.boolean(),
  host: z.string(),
  isHostLoopback: z.boolean(),
  name: z.string(),
  shutdownOrder: z.number().int().nullable(),
  sshOptionsConfigured: z.boolean(),
  user: z.string(),
});

export const configView = z.object({
  api: z.object({
    auth: z.object({ enabled: z.boolean(), requireForReads: z.boolean() }),
    bind: z.string(),
    enabled: z.boolean(),
    port: z.number().int(),
  }),
  detail: z.literal('sanitized'),
  mqtt: z.object({
    brokerConfigured: z.boolean(),
    enabled: z.boolean(),
    publishInterval: z.number().int(),
    topicPrefix: z.string(),
  }),
  notifications: z.object({ enabled: z.boolean(), serviceCount: z.number().int() }),
  nutControl: z.object({ enabled: z.boolean() }),
  prometheus: z.object({ enabled: z.boolean() }),
  redundancyGroups: z.array(
    z.object({
      groupId: z.string(),
      isLocal: z.boolean(),
      minHealthy: z.number().int(),
      name: z.string(),
      remoteServers: z.array(remoteServerView),
      upsSources: z.array(z.string()),
    }),
  ),
  remoteHealth: z.object({
    enabled: z.boolean(),
    failureThreshold: z.number().int(),
    interval: z.number().int(),
    startupCheck: z.boolean(),
  }),
  ups: z.array(
    z.object({
      groupId: z.string(),
      isLocal: z.boolean(),
      label: z.string(),
      name: z.string(),
      remoteServers: z.array(remoteServerView),
    }),
  ),
});

export const remoteHealth = z.object({
  generatedAt: z.number(),
  servers: z.array(remoteHealthRow),
});
export const authState = z.object({ enabled: z.boolean(), requireForReads: z.boolean() });
export const batteryHealth = z.object({ batteryHealth: z.null(), ups: z.string() });
export const energy = z.object({ energy: z.null(), ups: z.string() });
export const metricsText = z.string().describe('Prometheus text exposition');

/** `/ready` body: the full report, or only the verdict for anonymous callers under require_for_reads. */
export const readinessAnswer = z.union([readiness, z.object({ ready: z.boolean() })]);

export const rangeQuery = z.object({
  from: z.string().optional().describe('unix timestamp'),
  to: z.string().optional().describe('unix timestamp'),
});

export const power = z.object({
  data: z.array(
    z.object({
      estimated: z.boolean(),
      loadPct: z.number().nullable(),
      ts: z.number().int(),
      watts: z.number().nullable(),
    }),
  ),
  from: z.number().int(),
  to: z.number().int(),
  ups: z.string(),
});
