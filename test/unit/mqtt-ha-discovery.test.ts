import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildDiscoveryMessages,
  discoveryObjects,
  discoveryTopic,
  haNodeId,
  type DiscoveryContext,
} from '../../src/mqtt/ha-discovery.js';

const CTX: DiscoveryContext = {
  topicPrefix: 'eneru',
  discoveryPrefix: 'homeassistant',
  version: '7.0.0',
  availability: true,
};
const UPS = {
  groupId: 'UPS-10.0.0.5',
  name: 'UPS@10.0.0.5',
  label: 'Rack UPS',
  redundancyMember: false,
};

type Payload = Record<string, unknown> & { device: Record<string, unknown> };
const byObject = (messages: ReturnType<typeof buildDiscoveryMessages>): Map<string, Payload> =>
  new Map(messages.map((m) => [m.topic.split('/')[3] ?? '', m.payload as Payload]));

describe('Home Assistant discovery builders', () => {
  it('node ids keep only HA-legal characters', () => {
    assert.equal(haNodeId('UPS-10.0.0.5'), 'eneru_UPS-10_0_0_5');
    assert.equal(haNodeId('rack_a-1'), 'eneru_rack_a-1');
  });

  it('publishes the issue list of sensors and binary sensors under <prefix>/<component>/eneru_<id>/<object>/config', () => {
    const messages = buildDiscoveryMessages(UPS, CTX);
    assert.deepEqual(
      messages.map((m) => m.topic),
      discoveryObjects(false).map((o) =>
        discoveryTopic('homeassistant', o.component, UPS.groupId, o.object),
      ),
    );
    const sensors = messages
      .filter((m) => m.topic.startsWith('homeassistant/sensor/eneru_UPS-10_0_0_5/'))
      .map((m) => m.topic.split('/')[3]);
    assert.deepEqual(sensors, [
      'battery_charge',
      'runtime',
      'load',
      'input_voltage',
      'output_voltage',
      'input_frequency',
      'temperature',
      'depletion_rate',
      'time_on_battery',
      'voltage_state',
    ]);
    const binaries = messages
      .filter((m) => m.topic.startsWith('homeassistant/binary_sensor/'))
      .map((m) => m.topic.split('/')[3]);
    assert.deepEqual(binaries, [
      'on_battery',
      'low_battery',
      'trigger_active',
      'connection_failed',
    ]);
  });

  it('adds quorum_lost only for redundancy-group members', () => {
    const objects = byObject(buildDiscoveryMessages({ ...UPS, redundancyMember: true }, CTX));
    assert.equal(
      objects.get('quorum_lost')?.value_template,
      "{{ 'ON' if value_json.quorumLost else 'OFF' }}",
    );
    assert.equal(byObject(buildDiscoveryMessages(UPS, CTX)).has('quorum_lost'), false);
  });

  it('every entity reads the per-UPS state topic, shares one device and has a unique id', () => {
    const messages = buildDiscoveryMessages(UPS, CTX);
    const uniqueIds = new Set<unknown>();
    for (const { payload } of messages) {
      const p = payload as Payload;
      assert.equal(p.state_topic, 'eneru/ups/UPS-10.0.0.5/state');
      assert.equal(p.availability_topic, 'eneru/availability');
      assert.equal(p.payload_available, 'online');
      assert.equal(p.payload_not_available, 'offline');
      assert.deepEqual(p.device.identifiers, ['eneru_UPS-10_0_0_5']);
      assert.equal(p.device.name, 'Rack UPS');
      assert.equal(p.device.sw_version, '7.0.0');
      assert.equal(typeof p.value_template, 'string');
      uniqueIds.add(p.unique_id);
    }
    assert.equal(uniqueIds.size, messages.length);
  });

  it('numeric templates convert the string readings and units/device classes fit HA', () => {
    const objects = byObject(buildDiscoveryMessages(UPS, CTX));
    assert.equal(
      objects.get('battery_charge')?.value_template,
      '{{ value_json.batteryCharge | float(none) }}',
    );
    assert.equal(objects.get('battery_charge')?.device_class, 'battery');
    assert.equal(objects.get('battery_charge')?.unit_of_measurement, '%');
    assert.equal(
      objects.get('input_voltage')?.value_template,
      '{{ value_json.powerQuality.inputVoltage | float(none) }}',
    );
    assert.equal(objects.get('runtime')?.device_class, 'duration');
    assert.equal(objects.get('temperature')?.unit_of_measurement, '°C');
    assert.deepEqual(objects.get('voltage_state')?.options, ['NORMAL', 'LOW', 'HIGH']);
    assert.equal(objects.get('on_battery')?.payload_on, 'ON');
    assert.match(String(objects.get('on_battery')?.value_template), /'OB' in/);
    assert.match(String(objects.get('low_battery')?.value_template), /'LB' in/);
    assert.match(
      String(objects.get('connection_failed')?.value_template),
      /connectionState == 'FAILED'/,
    );
  });

  it('omits availability when the availability topic is switched off, and honours a custom discovery prefix', () => {
    const messages = buildDiscoveryMessages(UPS, {
      ...CTX,
      availability: false,
      discoveryPrefix: 'ha/',
    });
    assert.ok(
      messages.every((m) => m.topic.startsWith('ha/') && !('availability_topic' in m.payload)),
    );
  });
});
