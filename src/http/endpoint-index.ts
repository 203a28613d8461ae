/**
 * The endpoint index of `GET /api/v1` and of every 404's `availableEndpoints` (observability
 * §3.3): the original's order and descriptions, filtered by the same visibility rules. Only the
 * endpoints eneru serves are listed, so the index never advertises a path that answers 404.
 */

export interface EndpointEntry {
  description: string;
  path: string;
  query?: Record<string, string>;
}

export interface IndexVisibility {
  prometheus: boolean;
  nutControl: boolean;
  /** API auth effectively active: login/logout, event deletion and reload are listed. */
  authActive?: boolean;
  /** Auth active and (`self_test.enabled` anywhere or `nut_control.enabled`). */
  selfTest?: boolean;
}

const HISTORY_QUERY = {
  from: 'unix timestamp',
  metric:
    'charge|runtime|load|voltage|output_voltage|frequency|output_frequency|battery_voltage|temperature|real_power|depletion',
  to: 'unix timestamp',
};

const EVENTS_QUERY = {
  before: 'unix timestamp cursor',
  beforeId: 'source-qualified cursor id',
  beforeSource: 'source-qualified cursor source',
  from: 'unix timestamp',
  limit: '1..10000',
  to: 'unix timestamp',
  verbosity: '0..2',
};

type Rule = keyof IndexVisibility | 'always';

const ENDPOINTS: ReadonlyArray<readonly [Rule, EndpointEntry]> = [
  ['always', { description: 'Liveness probe', path: '/health' }],
  ['always', { description: 'Readiness probe with fresh UPS data', path: '/ready' }],
  ['prometheus', { description: 'Prometheus metrics when enabled', path: '/metrics' }],
  ['always', { description: 'API endpoint index', path: '/api/v1' }],
  ['always', { description: 'Current UPS and redundancy status', path: '/api/v1/ups' }],
  ['always', { description: 'Current status for one UPS', path: '/api/v1/ups/{name}' }],
  [
    'always',
    {
      description: 'SQLite metric history for one UPS',
      path: '/api/v1/ups/{name}/history',
      query: HISTORY_QUERY,
    },
  ],
  [
    'always',
    { description: 'Recent SQLite event rows', path: '/api/v1/events', query: EVENTS_QUERY },
  ],
  [
    'always',
    { description: 'Configuration summary (extended when authenticated)', path: '/api/v1/config' },
  ],
  ['always', { description: 'Remote SSH health rows', path: '/api/v1/remote-health' }],
  [
    'always',
    {
      description: 'Effective auth state for dashboard login bootstrap',
      path: '/api/v1/auth/state',
    },
  ],
  [
    'authActive',
    {
      description: 'Exchange username and password for a session token',
      path: '/api/v1/auth/login',
    },
  ],
  [
    'authActive',
    { description: 'Invalidate the current session token', path: '/api/v1/auth/logout' },
  ],
  [
    'nutControl',
    {
      description: 'Allowlisted NUT commands for one UPS (write)',
      path: '/api/v1/ups/{name}/commands',
    },
  ],
  [
    'nutControl',
    { description: 'Run one allowlisted NUT command (write)', path: '/api/v1/ups/{name}/command' },
  ],
  [
    'nutControl',
    {
      description: 'Allowlisted NUT variables for one UPS (write)',
      path: '/api/v1/ups/{name}/variables',
    },
  ],
  [
    'nutControl',
    {
      description: 'Set one allowlisted NUT variable (write)',
      path: '/api/v1/ups/{name}/variables/{var}',
    },
  ],
  [
    'authActive',
    {
      description: 'Delete selected event rows of one UPS (write)',
      path: '/api/v1/ups/{name}/events',
    },
  ],
  [
    'always',
    {
      description: 'Battery-health score, terms, and replacement projection (v6.1)',
      path: '/api/v1/ups/{name}/battery-health',
    },
  ],
  [
    'always',
    {
      description: 'Energy (kWh) and optional cost, today/month (v6.1)',
      path: '/api/v1/ups/{name}/energy',
    },
  ],
  [
    'always',
    {
      description: 'Per-sample load% + watts series for the Energy chart (v6.1)',
      path: '/api/v1/ups/{name}/power',
    },
  ],
  [
    'always',
    {
      description: 'Ordered shutdown plan of the UPS group, commands redacted',
      path: '/api/v1/ups/{name}/shutdown-plan',
    },
  ],
  [
    'selfTest',
    { description: 'Start a battery self-test (write)', path: '/api/v1/ups/{name}/self-test' },
  ],
  [
    'authActive',
    { description: 'Reload the configuration file (write)', path: '/api/v1/config/reload' },
  ],
  ['always', { description: 'OpenAPI 3 description of this API', path: '/api/v1/openapi.json' }],
];

export function endpointIndex(visibility: IndexVisibility): EndpointEntry[] {
  return ENDPOINTS.filter(([rule]) => rule === 'always' || visibility[rule]).map(
    ([, entry]) => entry,
  );
}

export function availableEndpoints(visibility: IndexVisibility): string[] {
  return endpointIndex(visibility).map((entry) => entry.path);
}
