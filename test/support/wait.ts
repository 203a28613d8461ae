/** Polls a condition until it holds or the deadline passes (tests never use bare sleeps). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: string | (() => string),
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof describe === 'string' ? describe : describe()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
