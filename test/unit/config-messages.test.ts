// Message helpers: path formatting, type names, typo suggestions and the repair step that lets
// one validation pass report every problem.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withoutPaths } from '../../src/config/issues.js';
import {
  closestKey,
  formatPath,
  hasErrors,
  levenshtein,
  typeName,
  unknownKeyMessage,
} from '../../src/config/messages.js';

describe('config messages', () => {
  it('formats key paths with list indexes', () => {
    assert.equal(formatPath(['ups', 1, 'triggers', 'depletion']), 'ups[1].triggers.depletion');
    assert.equal(formatPath([]), '');
  });

  it('names YAML types', () => {
    assert.deepEqual([null, [], {}, true, 1, 1.5, 'x'].map(typeName), [
      'null',
      'list',
      'mapping',
      'boolean',
      'integer',
      'float',
      'string',
    ]);
  });

  it('levenshtein distance', () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal(levenshtein('', 'abc'), 3);
    assert.equal(levenshtein('same', 'same'), 0);
  });

  it('suggests the closest key only when plausible', () => {
    const triggers = [
      'low_battery_threshold',
      'critical_runtime_threshold',
      'on_battery_stabilization_delay',
      'depletion',
      'extended_time',
      'voltage_sensitivity',
    ];
    assert.equal(closestKey('low_batery', triggers), 'low_battery_threshold');
    assert.equal(closestKey('critical_runtime', triggers), 'critical_runtime_threshold');
    assert.equal(closestKey('depletoin', triggers), 'depletion');
    assert.equal(closestKey('Voltage_Sensitivity', triggers), 'voltage_sensitivity');
    assert.equal(closestKey('qqqqqq', triggers), null);
    assert.equal(closestKey('enable', ['enabled', 'bind', 'port']), 'enabled');
  });

  it('unknown key messages: nested and top level', () => {
    assert.equal(
      unknownKeyMessage(['api'], 'prot', ['enabled', 'bind', 'port']).text,
      "ERROR: unknown config key 'api.prot'. Did you mean 'port'?",
    );
    assert.deepEqual(unknownKeyMessage([], 'zzzzzz', ['api']), {
      level: 'ERROR',
      path: 'zzzzzz',
      text: "ERROR: unknown top-level config key 'zzzzzz'.",
    });
  });

  it('hasErrors ignores warnings and info', () => {
    assert.equal(
      hasErrors([
        { level: 'WARNING', path: 'a', text: 'WARNING: a' },
        { level: 'INFO', path: 'b', text: 'INFO: b' },
      ]),
      false,
    );
    assert.equal(hasErrors([{ level: 'ERROR', path: 'a', text: 'ERROR: a' }]), true);
  });

  it('repair drops bad values and list items without holes and leaves the input untouched', () => {
    const raw = { a: { b: 1, c: 2 }, list: ['x', 5, 'y', 6] };
    const repaired = withoutPaths(raw, [
      ['a', 'b'],
      ['list', 1],
      ['list', 3],
    ]);
    assert.deepEqual(repaired, { a: { c: 2 }, list: ['x', 'y'] });
    assert.deepEqual(raw, { a: { b: 1, c: 2 }, list: ['x', 5, 'y', 6] });
  });
});
