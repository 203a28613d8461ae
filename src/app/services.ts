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
