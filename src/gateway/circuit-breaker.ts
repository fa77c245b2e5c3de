import type { GatewayClient } from './gateway-types.js';
import { GatewayUnreachableError } from './gateway-unreachable-error.js';

export interface CircuitBreakerOptions {
  /** Consecutive transport failures that open the circuit. */
  readonly threshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  readonly cooldownMs: number;
  readonly now?: () => number;
}

/**
 * A circuit breaker around the Gateway client: after `threshold` consecutive transport failures, calls fail at once
 * (no socket, no timeout wait) until `cooldownMs` has passed; then one probe goes through and its outcome closes or
 * re-opens the circuit. Queued replays then retry cheaply while the Gateway is down. HTTP answers, errors included,
 * count as the Gateway being up.
 */
export function withCircuitBreaker(client: GatewayClient, options: CircuitBreakerOptions): GatewayClient & { state(): 'closed' | 'open' | 'half-open' } {
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt: number | undefined;
  let probing = false;
  const state = (): 'closed' | 'open' | 'half-open' => {
    if (openedAt === undefined) return 'closed';
    return now() - openedAt >= options.cooldownMs ? 'half-open' : 'open';
  };
  return {
    state,
    async send(request) {
      const current = state();
      if (current === 'open' || (current === 'half-open' && probing)) {
        throw new GatewayUnreachableError('refused', 'circuit open: the national Gateway failed repeatedly');
      }
      probing = current === 'half-open';
      try {
        const answer = await client.send(request);
        failures = 0;
        openedAt = undefined;
        return answer;
      } catch (err) {
        if (err instanceof GatewayUnreachableError) {
          failures += 1;
          if (failures >= options.threshold || probing) openedAt = now();
        }
        throw err;
      } finally {
        probing = false;
      }
    },
    close: () => client.close(),
  };
}
