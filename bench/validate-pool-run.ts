/**
 * One pool run of bench:validate in a fresh process: argv threads and seconds; prints the PoolFigures as one JSON
 * line. A fresh process measures the pool's memory as the server has it (main thread + workers), without the
 * inline engine the parent measured before.
 */
import { resolveCatalog } from '../src/catalog/catalog.js';
import { loadConfig } from '../src/config.js';
import { prepareEngineSetup } from '../src/validation/validation-pool.js';
import { runPool } from './validate-pool.js';
import { benchSamples } from './validate-samples.js';

const [threads, seconds] = process.argv.slice(2).map(Number) as [number, number];
const config = loadConfig();
const setup = await prepareEngineSetup(resolveCatalog(config.catalogDir), config.sefCacheDir, undefined, { engine: config.schematronEngine });
const docs = [...benchSamples(config.catalogDir).values()].flat();
const figures = await runPool(setup, threads, docs, seconds, { maxHeapMb: config.validationWorkerHeapMb });
process.stdout.write(`${JSON.stringify({ ...figures, peakRssMb: Math.max(figures.peakRssMb, process.resourceUsage().maxRSS / 1024) })}\n`);
