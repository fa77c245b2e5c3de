import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { withCircuitBreaker } from './circuit-breaker.js';
import { createGatewayClient, type GatewayClient } from './gateway-client.js';

/** Consecutive failures that open the circuit, and how long it stays open. */
const BREAKER = { threshold: 3, cooldownMs: 2_000 } as const;

/** The national Gateway client as configured (TLS client certificate, JWT mode), behind a circuit breaker. */
/** The Gateway client with its circuit's state, which the operator console shows. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export function createGatewayFromConfig(config: Config, baseUrl: string): GatewayClient & { state(): CircuitState } {
  const read = (file: string) => readFileSync(file, 'utf8');
  return withCircuitBreaker(createGatewayClient({
    baseUrl,
    tls: config.gatewayTls
      ? { cert: read(config.gatewayTls.certFile), key: read(config.gatewayTls.keyFile), ca: config.gatewayTls.caFile ? read(config.gatewayTls.caFile) : undefined }
      : undefined,
    timeoutMs: config.gatewayTimeoutMs,
    jwtMode: config.gatewayJwtMode,
    regionSigner: config.regionSigner ? { certPem: read(config.regionSigner.certFile), keyPem: read(config.regionSigner.keyFile) } : undefined,
    audience: baseUrl,
  }), BREAKER);
}
