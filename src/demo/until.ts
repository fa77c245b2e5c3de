/** Polls `probe` until it returns a value other than undefined, failing after `limitMs`: for asynchronous hops. */
export async function until<T>(probe: () => Promise<T | undefined>, what: string, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
