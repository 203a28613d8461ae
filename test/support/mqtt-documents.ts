/**
 * A document provider for MQTT tests: the recorded `/api/v1/ups` document of the original
 * daemon, with a settable status and fresh volatile fields on every call (as the live builder
 * would produce), counting its calls so tests can prove collection never paused.
 */
import { readFileSync } from 'node:fs';
import type { MqttDocument } from '../../src/mqtt/topics.js';

export type TestDocument = Omit<MqttDocument, 'ups'> & {
  generatedAt: number;
  ups: (Record<string, unknown> & {
    groupId: string;
    name: string;
    label: string;
    status: string;
  })[];
};

export function recordedDocument(): TestDocument {
  const line = readFileSync(
    new URL('../fixtures/eneru-api-examples/mqtt-status.txt', import.meta.url),
    'utf8',
  );
  return JSON.parse(line.slice(line.indexOf(' ') + 1)) as TestDocument;
}

export class DocumentSource {
  calls = 0;
  status = 'OL CHRG';
  private readonly base = recordedDocument();

  readonly provide = (): TestDocument => {
    this.calls += 1;
    const doc = structuredClone(this.base);
    const now = Date.now() / 1000;
    doc.generatedAt = now;
    for (const ups of doc.ups) {
      ups.status = this.status;
      ups.lastUpdateTime = now;
    }
    return doc;
  };
}
