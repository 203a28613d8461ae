/**
 * The outputs and background workers around the monitors (API, MQTT, health probes,
 * redundancy evaluators). They start after the monitors and stop before them, in reverse order.
 */
export interface Service {
  readonly name: string;
  start(): void | Promise<unknown>;
  /** Must never throw. */
  stop(): void | Promise<void>;
}

export async function startServices(services: readonly Service[]): Promise<void> {
  for (const service of services) await service.start();
}

export async function stopServices(
  services: readonly Service[],
  onError: (name: string, error: unknown) => void,
): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      onError(service.name, error);
    }
  }
}

/**
 * A service whose code is imported when it starts, not when the daemon loads: an output that
 * is not configured never loads its libraries (Fastify, mqtt.js), which costs a few MB of
 * memory and start-up time for nothing. `stop` before a finished `start` stops what was loaded.
 */
export function lazyService(name: string, load: () => Promise<Service>): Service {
  let loading: Promise<Service> | null = null;
  return {
    name,
    async start() {
      loading = load();
      await (await loading).start();
    },
    async stop() {
      if (loading === null) return;
      const service = await loading.catch(() => null);
      await service?.stop();
    },
  };
}
