/**
 * TLS material for `mqtts://`. Files are read at every connect so a renewed certificate is
 * picked up on the next reconnect without a restart. A custom CA is added to the system roots
 * (not replacing them), and a client certificate enables mutual TLS.
 */
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';

export interface MqttTlsFiles {
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
}

export interface TlsMaterial {
  ca?: string[];
  cert?: string;
  key?: string;
}

export class MqttTlsFileError extends Error {
  readonly code = 'MQTT_TLS_FILE_UNREADABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MqttTlsFileError';
  }
}

async function readPem(path: string, key: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MqttTlsFileError(`cannot read mqtt.tls.${key} (${detail})`, { cause: error });
  }
}

/** A key file alone is useless; a cert file alone is taken as a combined PEM holding the key too. */
export async function loadTlsMaterial(files: MqttTlsFiles): Promise<TlsMaterial> {
  const material: TlsMaterial = {};
  if (files.caFile !== null)
    material.ca = [...rootCertificates, await readPem(files.caFile, 'ca_file')];
  if (files.certFile !== null) {
    material.cert = await readPem(files.certFile, 'cert_file');
    material.key =
      files.keyFile !== null ? await readPem(files.keyFile, 'key_file') : material.cert;
  } else if (files.keyFile !== null) {
    throw new MqttTlsFileError('mqtt.tls.key_file is set without mqtt.tls.cert_file');
  }
  return material;
}
