import { readFileSync } from 'node:fs';
import { resolveCatalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Logger } from '../logging/logger.js';
import { startGatewaySimulator, type GatewayIniOptions, type GatewaySimulator } from '../simulators/gateway/gateway-simulator.js';
import { createValidationPool, prepareEngineSetup, type CdaValidator } from '../validation/validation-pool.js';

/**
 * The national Gateway of a bridge run without GATEWAY_URL (`start --dev`, the test harness, the benchmarks): the
 * Gateway simulator on a free loopback port, trusting the bridge's JWT CAs, with the bridge's upload limit and
 * validation window. One validation pool of `FSE_VALIDATION_WORKERS` threads serves both: the simulator validates
 * with it and createApp receives it (its `validator` option), so the machine runs one pool, as when the simulator
 * ran inside the bridge.
 */

export interface DevGateway {
  readonly simulator: GatewaySimulator;
  /** The shared validation pool, for createApp's `validator` option. */
  readonly validator: CdaValidator;
  /** The bridge's configuration with GATEWAY_URL pointing at the simulator. */
  readonly config: Config;
  /** Stops the simulator, then the pool: call it after the bridge has stopped. */
  stop(): Promise<void>;
}

export async function startDevGateway(config: Config, logger: Logger, options: { readonly ini?: GatewayIniOptions } = {}): Promise<DevGateway> {
  const setup = await prepareEngineSetup(resolveCatalog(config.catalogDir), config.sefCacheDir, logger, { engine: config.schematronEngine });
  const validator = createValidationPool(setup, config.validationWorkers, { maxHeapMb: config.validationWorkerHeapMb });
  let simulator: GatewaySimulator;
  try {
    simulator = await startGatewaySimulator({
      host: '127.0.0.1', validator, logger, validationTtlDays: config.validationTtlDays, maxUploadBytes: config.maxUploadBytes,
      ...(config.trustedCaFile ? { trustedCaPem: readFileSync(config.trustedCaFile, 'utf8') } : {}),
      ...(options.ini ? { ini: options.ini } : {}),
    });
  } catch (err) {
    await validator.close();
    throw err;
  }
  logger.info('national Gateway simulator started', { url: simulator.url });
  return {
    simulator,
    validator,
    config: Object.freeze({ ...config, gatewayUrl: simulator.url }),
    async stop() {
      await simulator.stop();
      await validator.close();
    },
  };
}
