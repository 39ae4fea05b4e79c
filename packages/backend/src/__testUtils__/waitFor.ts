/*
 * Polls until `probe` returns something other than undefined, or fails after `timeoutMs` with the
 * last thing it saw, so that a timeout says what the backend was actually answering.
 */

export async function waitFor<T>(
  description: string,
  probe: () => Promise<
    { done: true; value: T } | { done: false; last: unknown }
  >,
  { timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = '(nothing yet)';
  for (;;) {
    try {
      const result = await probe();
      if (result.done) {
        return result.value;
      }
      last = result.last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const shown =
        last instanceof Error
          ? last.stack ?? String(last)
          : JSON.stringify(last, null, 2);
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${description}; last seen: ${shown}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}
