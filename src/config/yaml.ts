/**
 * YAML reading with the original's dialect: PyYAML's `safe_load` is YAML 1.1, so `yes`/`no`/
 * `on`/`off` are booleans and duplicate keys keep the last value. Sexagesimal numbers
 * (`12:30` → 45000) and timestamps are NOT resolved, so times of day and dates stay strings.
 */
import { parse, YAMLParseError } from 'yaml';
import { ConfigLoadError } from './errors.js';

export function parseYaml(text: string, source: string): unknown {
  try {
    return parse(text, {
      version: '1.1',
      uniqueKeys: false,
      customTags: (tags) =>
        tags.filter((tag) =>
          typeof tag === 'string'
            ? !['intTime', 'floatTime', 'timestamp'].includes(tag)
            : tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp',
        ),
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
