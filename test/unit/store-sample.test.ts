import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReading, sampleFromVars } from '../../src/store/index.js';

const DERIVED = { depletionRate: 1.5, timeOnBatterySec: 42.9, connectionState: 'OK' };
const WALL_MS = 1_796_412_117_999;

describe('sampleFromVars', () => {
  it('maps NUT variables and derived values onto the samples columns', () => {
    const row = sampleFromVars(
      {
        'ups.status': 'OB DISCHRG',
        'battery.charge': '87',
        'battery.runtime': '1260',
        'ups.load': '23.5',
        'input.voltage': '0',
        'output.voltage': '230.1',
        'battery.voltage': '26.9',
        'ups.temperature': '31.2',
        'input.frequency': '49.9',
        'output.frequency': '50.0',
        'ups.realpower': '140',
        'ups.power.nominal': '900',
      },
      DERIVED,
      WALL_MS,
    );
    assert.deepEqual(row, {
      ts: 1_796_412_117,
      status: 'OB DISCHRG',
      battery_charge: 87,
      battery_runtime: 1260,
      ups_load: 23.5,
      input_voltage: 0,
      output_voltage: 230.1,
      depletion_rate: 1.5,
      time_on_battery: 42,
      connection_state: 'OK',
      battery_voltage: 26.9,
      ups_temperature: 31.2,
      input_frequency: 49.9,
      output_frequency: 50,
      real_power: 140,
      power_nominal: 900,
    });
  });

  const sanitised = [
    { status: 'OL', charge: '0', voltage: '-1', expect: [null, null] },
    { status: 'OL CHRG', charge: '-5', voltage: '0', expect: [null, null] },
    { status: 'OL', charge: '0.5', voltage: '0.1', expect: [0.5, 0.1] },
    { status: 'OL OB', charge: '0', voltage: '0', expect: [0, 0] },
    { status: 'OL FSD', charge: '0', voltage: '0', expect: [0, 0] },
    { status: 'OB', charge: '0', voltage: '0', expect: [0, 0] },
    { status: 'OLX', charge: '0', voltage: '0', expect: [0, 0] },
  ] as const;
  for (const c of sanitised) {
    it(`status "${c.status}": charge ${c.charge}, input ${c.voltage} → ${JSON.stringify(c.expect)}`, () => {
      const row = sampleFromVars(
        { 'ups.status': c.status, 'battery.charge': c.charge, 'input.voltage': c.voltage },
        DERIVED,
        WALL_MS,
      );
      assert.deepEqual([row.battery_charge, row.input_voltage], c.expect);
    });
  }

  it('stores absent, non-numeric and non-finite values as NULL', () => {
    const row = sampleFromVars(
      {
        'battery.charge': 'unknown',
        'ups.load': 'nan',
        'battery.runtime': 'inf',
        'input.voltage': '',
      },
      {
        depletionRate: Number.NaN,
        timeOnBatterySec: Number.POSITIVE_INFINITY,
        connectionState: 'FAILED',
      },
      WALL_MS,
    );
    assert.equal(row.status, null);
    assert.equal(row.battery_charge, null);
    assert.equal(row.ups_load, null);
    assert.equal(row.battery_runtime, null);
    assert.equal(row.input_voltage, null);
    assert.equal(row.output_voltage, null);
    assert.equal(row.depletion_rate, null);
    assert.equal(row.time_on_battery, null);
    assert.equal(row.connection_state, 'FAILED');
  });
});

describe('parseReading', () => {
  const cases: [string | undefined, number | null][] = [
    ['97', 97],
    [' 230.5 ', 230.5],
    ['-3', -3],
    ['+4.', 4],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1e999', null],
    ['NaN', null],
    ['Infinity', null],
    ['0x10', null],
    ['12abc', null],
    ['', null],
    [undefined, null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${String(expected)}`, () =>
      assert.equal(parseReading(input), expected));
  }
});
