/**
 * Hands out one NutClient per upsd endpoint and connection identity, so every UPS on the same
 * server shares one connection. Identity includes TLS and credentials: a control connection
 * with other credentials (nut_control) gets its own client, as USERNAME is per connection.
 */
import { NutClient, type NutClientOptions } from './client.js';
import { formatEndpoint } from './target.js';

export class NutClientPool {
  private readonly clients = new Map<string, NutClient>();

  /** The shared client for these options; created on first use (no I/O until a request). */
  client(opts: NutClientOptions): NutClient {
    const key = poolKey(opts);
    let client = this.clients.get(key);
    if (!client) {
      client = new NutClient(opts);
      this.clients.set(key, client);
    }
    return client;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Closes every client; never throws. */
  async closeAll(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.close()));
  }
}

function poolKey(opts: NutClientOptions): string {
  return JSON.stringify([
    formatEndpoint(opts.host, opts.port),
    opts.tls,
    opts.caFile ?? null,
    opts.certFingerprint ?? null,
    opts.username ?? null,
    opts.password ?? null,
  ]);
}
