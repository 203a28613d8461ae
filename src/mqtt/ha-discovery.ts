/**
 * Home Assistant MQTT discovery configs (pure). One device per UPS; every entity reads the
 * retained per-UPS state topic through a `value_template` written here, so users write none.
 * Numeric readings arrive as strings in the document (spec §3.4); the templates convert them and
 * render `None` (HA's "unknown") when NUT does not publish the variable.
 */
import { availabilityTopic, normalisePrefix, upsStateTopic } from './topics.js';

export interface DiscoveryContext {
  topicPrefix: string;
  discoveryPrefix: string;
  version: string;
  /** Entities get `availability_topic` only when the availability topic is published. */
  availability: boolean;
}

export interface DiscoveryUps {
  groupId: string;
  name: string;
  label: string;
  /** Adds the "quorum lost" binary sensor (meaningless outside a redundancy group). */
  redundancyMember: boolean;
}

export interface DiscoveryMessage {
  topic: string;
  payload: Record<string, unknown>;
}

type Component = 'sensor' | 'binary_sensor';

interface EntitySpec {
  component: Component;
  object: string;
  name: string;
  template: string;
  extra: Record<string, unknown>;
}

const number = (path: string): string => `{{ value_json.${path} | float(none) }}`;
const flag = (token: string): string =>
  `{{ 'ON' if '${token}' in (value_json.status | default('', true)).split() else 'OFF' }}`;
const truthy = (expr: string): string => `{{ 'ON' if ${expr} else 'OFF' }}`;

const MEASUREMENT = { state_class: 'measurement' };
const DIAGNOSTIC = { entity_category: 'diagnostic' };

const SENSORS: readonly EntitySpec[] = [
  {
    component: 'sensor',
    object: 'battery_charge',
    name: 'Battery charge',
    template: number('batteryCharge'),
    extra: { device_class: 'battery', unit_of_measurement: '%', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'runtime',
    name: 'Runtime',
    template: number('runtime'),
    extra: { device_class: 'duration', unit_of_measurement: 's', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'load',
    name: 'Load',
    template: number('load'),
    extra: { unit_of_measurement: '%', icon: 'mdi:gauge', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'input_voltage',
    name: 'Input voltage',
    template: number('powerQuality.inputVoltage'),
    extra: { device_class: 'voltage', unit_of_measurement: 'V', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'output_voltage',
    name: 'Output voltage',
    template: number('powerQuality.outputVoltage'),
    extra: { device_class: 'voltage', unit_of_measurement: 'V', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'input_frequency',
    name: 'Input frequency',
    template: number('powerQuality.inputFrequency'),
    extra: { device_class: 'frequency', unit_of_measurement: 'Hz', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'temperature',
    name: 'Temperature',
    template: number('powerQuality.temperature'),
    extra: { device_class: 'temperature', unit_of_measurement: '°C', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'depletion_rate',
    name: 'Depletion rate',
    template: number('depletionRate'),
    extra: {
      unit_of_measurement: '%/min',
      icon: 'mdi:battery-arrow-down',
      ...MEASUREMENT,
      ...DIAGNOSTIC,
    },
  },
  {
    component: 'sensor',
    object: 'time_on_battery',
    name: 'Time on battery',
    template: number('timeOnBattery'),
    extra: { device_class: 'duration', unit_of_measurement: 's', ...MEASUREMENT },
  },
  {
    component: 'sensor',
    object: 'voltage_state',
    name: 'Voltage state',
    template: '{{ value_json.powerQuality.voltageState }}',
    extra: { device_class: 'enum', options: ['NORMAL', 'LOW', 'HIGH'], icon: 'mdi:sine-wave' },
  },
];

const BINARY_SENSORS: readonly EntitySpec[] = [
  {
    component: 'binary_sensor',
    object: 'on_battery',
    name: 'On battery',
    template: flag('OB'),
    extra: { icon: 'mdi:battery-alert' },
  },
  {
    component: 'binary_sensor',
    object: 'low_battery',
    name: 'Low battery',
    template: flag('LB'),
    extra: { device_class: 'battery' },
  },
  {
    component: 'binary_sensor',
    object: 'trigger_active',
    name: 'Shutdown trigger active',
    template: truthy('value_json.triggerActive'),
    extra: { device_class: 'problem' },
  },
  {
    component: 'binary_sensor',
    object: 'connection_failed',
    name: 'Connection failed',
    template: truthy("value_json.connectionState == 'FAILED'"),
    extra: { device_class: 'problem', ...DIAGNOSTIC },
  },
];

const QUORUM_LOST: EntitySpec = {
  component: 'binary_sensor',
  object: 'quorum_lost',
  name: 'Redundancy quorum lost',
  template: truthy('value_json.quorumLost'),
  extra: { device_class: 'problem' },
};

/** HA node ids allow `[a-zA-Z0-9_-]` only; a groupId like `UPS-10.0.0.5` keeps its meaning. */
export function haNodeId(groupId: string): string {
  return `eneru_${groupId.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}

export function discoveryTopic(
  discoveryPrefix: string,
  component: Component,
  groupId: string,
  object: string,
): string {
  return `${normalisePrefix(discoveryPrefix)}/${component}/${haNodeId(groupId)}/${object}/config`;
}

/** The ordered list of entity object ids published for one UPS (docs and tests use it). */
export function discoveryObjects(
  redundancyMember: boolean,
): { component: Component; object: string }[] {
  const specs = redundancyMember
    ? [...SENSORS, ...BINARY_SENSORS, QUORUM_LOST]
    : [...SENSORS, ...BINARY_SENSORS];
  return specs.map(({ component, object }) => ({ component, object }));
}

export function buildDiscoveryMessages(
  ups: DiscoveryUps,
  ctx: DiscoveryContext,
): DiscoveryMessage[] {
  const nodeId = haNodeId(ups.groupId);
  const device = {
    identifiers: [nodeId],
    name: ups.label,
    manufacturer: 'Network UPS Tools',
    model: ups.name,
    sw_version: ctx.version,
  };
  const origin = { name: 'eneru', sw_version: ctx.version };
  const availability = ctx.availability
    ? {
        availability_topic: availabilityTopic(ctx.topicPrefix),
        payload_available: 'online',
        payload_not_available: 'offline',
      }
    : {};
  const specs = ups.redundancyMember
    ? [...SENSORS, ...BINARY_SENSORS, QUORUM_LOST]
    : [...SENSORS, ...BINARY_SENSORS];
  return specs.map((spec) => {
    const binary =
      spec.component === 'binary_sensor' ? { payload_on: 'ON', payload_off: 'OFF' } : {};
    return {
      topic: discoveryTopic(ctx.discoveryPrefix, spec.component, ups.groupId, spec.object),
      payload: {
        name: spec.name,
        unique_id: `${nodeId}_${spec.object}`,
        has_entity_name: true,
        state_topic: upsStateTopic(ctx.topicPrefix, ups.groupId),
        value_template: spec.template,
        ...binary,
        ...spec.extra,
        ...availability,
        device,
        origin,
      },
    };
  });
}
