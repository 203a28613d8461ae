/**
 * A private Mosquitto broker for integration tests: free loopback port, temp dir, plain or TLS
 * (throwaway CA, server and client certificates made with openssl; `requireCertificate` turns
 * on mTLS), stopped by PID. `restart()` brings it back on the same port, for outage tests.
 * Also a small subscriber that records every message, built on mqtt.js as a real peer.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { freePort, portAnswers } from './ports.js';
import { stopChild } from './processes.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

export interface BrokerCerts {
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

export interface MosquittoHandle {
  port: number;
  dir: string;
  /** `mqtt://127.0.0.1:<port>` or `mqtts://127.0.0.1:<port>`. */
  url: string;
  certs: BrokerCerts | null;
  pid(): number | null;
  stop(): Promise<void>;
  /** Starts the broker again on the same port after `stop()`. */
  restart(): Promise<void>;
  /** Stops the broker and removes the temp dir. */
  dispose(): Promise<void>;
}

export interface MosquittoOptions {
  tls?: { requireCertificate: boolean };
}

async function makeCerts(
  dir: string,
): Promise<BrokerCerts & { serverCert: string; serverKey: string }> {
  const path = (name: string): string => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=eneru-test-ca',
  ]);
  writeFileSync(path('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  writeFileSync(path('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', 'localhost'],
    ['client', 'eneru-test-client'],
  ] as const) {
    await run('openssl', [
      'req',
      ...ec,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.csr`),
      '-subj',
      `/CN=${cn}`,
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-out',
      path(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      path(`${name}.ext`),
    ]);
  }
  return {
    caFile: path('ca.crt'),
    clientCertFile: path('client.crt'),
    clientKeyFile: path('client.key'),
    serverCert: path('server.crt'),
    serverKey: path('server.key'),
  };
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'eneru-mosquitto-'));
  const port = await freePort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'user root',
    `log_dest file ${join(dir, 'mosquitto.log')}`,
  ];
  let certs: BrokerCerts | null = null;
  if (options.tls) {
    const made = await makeCerts(dir);
    certs = {
      caFile: made.caFile,
      clientCertFile: made.clientCertFile,
      clientKeyFile: made.clientKeyFile,
    };
    lines.push(`cafile ${made.caFile}`, `certfile ${made.serverCert}`, `keyfile ${made.serverKey}`);
    lines.push(`require_certificate ${options.tls.requireCertificate ? 'true' : 'false'}`);
  }
  const configPath = join(dir, 'mosquitto.conf');
  writeFileSync(configPath, `${lines.join('\n')}\n`);
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const proc = spawn('/usr/sbin/mosquitto', ['-c', configPath], { stdio: 'ignore' });
    child = proc;
    await waitFor(
      async () => {
        if (proc.exitCode !== null)
          throw new Error(`mosquitto exited (${proc.exitCode}): ${readLog()}`);
        return portAnswers(port);
      },
      10_000,
      `mosquitto on port ${port}`,
    );
  };
  const readLog = (): string => {
    try {
      return readFileSync(join(dir, 'mosquitto.log'), 'utf8');
    } catch (error) {
      return `no log (${(error as Error).message})`;
    }
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (proc) await stopChild(proc, 3000);
  };
  try {
    await launch();
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    dir,
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    certs,
    pid: () => (child as ChildProcess | null)?.pid ?? null,
    stop,
    restart: launch,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedMessage {
  topic: string;
  payload: string;
  retain: boolean;
  atMs: number;
}

export interface Recorder {
  messages: ReceivedMessage[];
  on(topic: string): ReceivedMessage[];
  waitFor(
    predicate: (messages: ReceivedMessage[]) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<void>;
  publish(topic: string, payload: string, retain?: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Subscribes to `topics` and records every message (retained ones flagged). */
export async function recordMessages(
  url: string,
  topics: string[],
  extra: IClientOptions = {},
): Promise<Recorder> {
  const client: MqttClient = connect(url, { reconnectPeriod: 500, connectTimeout: 5000, ...extra });
  const messages: ReceivedMessage[] = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({
      topic,
      payload: payload.toString('utf8'),
      retain: packet.retain,
      atMs: Date.now(),
    });
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    messages,
    on: (topic) => messages.filter((message) => message.topic === topic),
    waitFor: (predicate, timeoutMs, what) =>
      waitFor(() => predicate(messages), timeoutMs, what, 50),
    async publish(topic, payload, retain = false) {
      await client.publishAsync(topic, payload, { qos: 1, retain });
    },
    async close() {
      await client.endAsync(true);
    },
  };
}
