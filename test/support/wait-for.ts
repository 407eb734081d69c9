/**
 * Waits for an observable outcome with a deadline, instead of sleeping for a fixed time.
 * Polls `probe` every `intervalMs` until it returns a truthy value (which is returned) or the
 * deadline passes; a probe that throws counts as "not yet", and its last error is reported.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 5000,
  options: { intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.what ?? probe.toString();
      throw new Error(`waitFor: no outcome within ${timeoutMs} ms: ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
