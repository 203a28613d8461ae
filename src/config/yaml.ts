/**
 * YAML reading with the original's dialect: PyYAML's `safe_load` is YAML 1.1, so `yes`/`no`/
 * `on`/`off` are booleans (`y`/`n` are not) and duplicate keys keep the last value. Sexagesimal numbers
 * (`12:30` → 45000) and timestamps are NOT resolved, so times of day and dates stay strings.
 */
import { parse, type ScalarTag, YAMLParseError } from 'yaml';
import { ConfigLoadError } from './errors.js';

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const BOOL_TAG = 'tag:yaml.org,2002:bool';

/** PyYAML's booleans: like YAML 1.1 but without the single letters `y`/`n`, which stay strings. */
const PYYAML_BOOLEANS: ScalarTag[] = [
  {
    tag: BOOL_TAG,
    default: true,
    identify: (value) => value === true,
    test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
    resolve: () => true,
  },
  {
    tag: BOOL_TAG,
    default: true,
    identify: (value) => value === false,
    test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
    resolve: () => false,
  },
];

export function parseYaml(text: string, source: string): unknown {
  try {
    return parse(text, {
      version: '1.1',
      uniqueKeys: false,
      customTags: (tags) => [
        ...tags.filter((tag) =>
          typeof tag === 'string'
            ? !['intTime', 'floatTime', 'timestamp', 'bool'].includes(tag)
            : tag.format !== 'TIME' && tag.tag !== TIMESTAMP_TAG && tag.tag !== BOOL_TAG,
        ),
        ...PYYAML_BOOLEANS,
      ],
    });
  } catch (cause) {
    if (cause instanceof YAMLParseError) {
      const where = cause.linePos?.[0];
      const position = where ? ` at line ${where.line}, column ${where.col}` : '';
      const detail =
        cause.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? cause.message;
      throw new ConfigLoadError('YAML', `YAML syntax error in ${source}${position}: ${detail}`, {
        cause,
      });
    }
    throw new ConfigLoadError('YAML', `YAML syntax error in ${source}: ${String(cause)}`, {
      cause,
    });
  }
}
