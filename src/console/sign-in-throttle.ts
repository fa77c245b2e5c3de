/**
 * Refused sign-ins slow an attacker down without locking the account out for its owner for long: after `limit`
 * failures of one username (or of one address) within the window, further attempts are refused until the window
 * has passed. In memory: one process's count; several bridge processes each count their own.
 * See: OWASP Authentication cheat sheet, "Protect against automated attacks"; NIST SP 800-63B 5.2.2 (rate limiting).
 */
export function createSignInThrottle(limit = 10, windowMs = 15 * 60_000, now: () => number = Date.now) {
  const failures = new Map<string, number[]>();
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => now() - t < windowMs);
  return {
    /** Milliseconds to wait before the next attempt, or 0. */
    blockedFor(...keys: string[]): number {
      let wait = 0;
      for (const key of keys) {
        const times = recent(key);
        failures.set(key, times);
        if (times.length >= limit) wait = Math.max(wait, windowMs - (now() - (times[0] ?? now())));
      }
      return wait;
    },
    failed(...keys: string[]): void {
      for (const key of keys) failures.set(key, [...recent(key), now()]);
      if (failures.size > 100_000) failures.clear();
    },
    succeeded(key: string): void {
      failures.delete(key);
    },
  };
}
