import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The bridge's Prometheus metrics, in one registry created per app (tests and two-region demos run several apps in
 * one process, so nothing is registered globally).
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly validations: Counter<'doc_type' | 'outcome'>;
  /** Local verdict vs the Gateway's: the parity operators watch (pipeline issue, section 4). */
  readonly validationParity: Counter<'agreement'>;
  /** Schematron files the native engine could not compile, run on saxon-js instead. */
  readonly schematronFallbacks: Counter<'file'>;
  /** SOAP requests by transaction (`fault` before dispatch) and HTTP status. */
  readonly soapRequests: Counter<'transaction' | 'status'>;
  /** ATNA audit messages dropped before reaching the syslog receiver (queue full, datagram refused). */
  readonly atnaDropped: Counter;
}

export function createMetrics(withDefaults = true): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'fse_bridge_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'fse_bridge_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({
      name: 'fse_bridge_http_request_seconds', help: 'HTTP request duration', labelNames: ['route'], registers: [registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    validations: new Counter({ name: 'fse_bridge_validations_total', help: 'CDA validations by document type and outcome', labelNames: ['doc_type', 'outcome'], registers: [registry] }),
    soapRequests: new Counter({ name: 'fse_bridge_soap_requests_total', help: 'XDS.b SOAP requests by transaction and HTTP status', labelNames: ['transaction', 'status'], registers: [registry] }),
    schematronFallbacks: new Counter({ name: 'fse_bridge_schematron_fallbacks_total', help: 'Schematron files run on saxon-js because the native engine cannot evaluate them', labelNames: ['file'], registers: [registry] }),
    atnaDropped: new Counter({ name: 'fse_bridge_atna_dropped_total', help: 'ATNA audit messages dropped before reaching the syslog receiver', registers: [registry] }),
    validationParity: new Counter({ name: 'fse_bridge_validation_parity_total', help: 'Local validation verdict vs the national Gateway', labelNames: ['agreement'], registers: [registry] }),
  };
}
