import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../../config.js';
import { assertSchemaName, createPool } from '../../db/pool.js';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../db/embedded-postgres.js';
import { startFederationTopology, type Topology } from '../../demo/federation-topology.js';
import { DEMO_PATIENT } from '../../demo/region-client.js';
import { runTwoRegionsScenario } from '../../demo/two-regions-scenario.js';
import { createLogger } from '../../logging/logger.js';
import type { CliIo } from '../io.js';

const USAGE = `usage: fse-bridge demo two-regions [--keep] [--schema-prefix NAME] [--rde CODE] [--rda CODE]
  Starts the simulated Gateway and INI and two bridges (default RDE 120 Lazio, RDA 090 Toscana) on PostgreSQL
  (DATABASE_URL, or the embedded server), runs the scenario and prints each step. --keep leaves everything running
  (Ctrl-C stops it). The schemas <prefix>_<code> are recreated on every run (default prefix demo).`;

interface DemoOptions {
  readonly keep: boolean;
  readonly schemaPrefix: string;
  readonly rde: string;
  readonly rda: string;
}

function parse(argv: string[]): DemoOptions {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { keep: { type: 'boolean' }, 'schema-prefix': { type: 'string' }, rde: { type: 'string' }, rda: { type: 'string' } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'two-regions') throw new Error('the only demo is two-regions');
  const options = { keep: values.keep === true, schemaPrefix: values['schema-prefix'] ?? 'demo', rde: values.rde ?? '120', rda: values.rda ?? '090' };
  assertSchemaName(`${options.schemaPrefix}_000`);
  if (!/^\d{3}$/.test(options.rde) || !/^\d{3}$/.test(options.rda) || options.rde === options.rda) throw new Error('--rde and --rda are two different 3-digit region codes');
  return options;
}

/** `fse-bridge demo two-regions`: the federation of issue 5 on one machine. See: src/demo/, docs/federation.md. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let options: DemoOptions;
  try {
    options = parse(argv);
  } catch (err) {
    io.stderr(`fse-bridge demo: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'demo');
  let embedded: EmbeddedPostgresServer | undefined;
  let topology: Topology | undefined;
  try {
    if (config.databaseUrl === undefined) embedded = await startEmbeddedPostgres({ dataDir: config.pgDataDir, port: config.pgPort });
    const databaseUrl = config.databaseUrl ?? (embedded as EmbeddedPostgresServer).url;
    const pool = createPool(databaseUrl, { max: 1 });
    for (const code of [options.rde, options.rda]) await pool.query(`DROP SCHEMA IF EXISTS ${options.schemaPrefix}_${code} CASCADE`);
    await pool.end();
    io.stdout(`Starting the Gateway and INI simulators and the bridges of ${options.rde} and ${options.rda}...`);
    topology = await startFederationTopology({
      dir: path.join(PROJECT_ROOT, 'var', 'demo-two-regions'), regions: [options.rde, options.rda], databaseUrl,
      schemaPrefix: options.schemaPrefix, patients: { [DEMO_PATIENT]: options.rda }, logger,
      env: { ...process.env, FSE_VALIDATION_WORKERS: process.env.FSE_VALIDATION_WORKERS ?? '1' },
    });
    for (const node of Object.values(topology.regions)) io.stdout(`  bridge ${node.code}: ${node.baseUrl} (XDS.b ${node.registryUrl}, ${node.repositoryUrl})`);
    io.stdout(`  Gateway simulator: ${topology.gateway.url}\n  INI simulator: ${topology.ini.url}\n`);
    const steps = await runTwoRegionsScenario(topology, options.rde, options.rda, io.stdout);
    const ok = steps.length > 0 && steps.every((s) => s.ok);
    io.stdout(ok ? `\nAll ${steps.length} steps as the national design says.` : '\nThe scenario stopped at the failed step.');
    if (options.keep) {
      io.stdout('Everything stays up; Ctrl-C stops it.');
      await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
    }
    return ok ? 0 : 1;
  } catch (err) {
    io.stderr(`fse-bridge demo failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await topology?.stop();
    await embedded?.stop();
  }
}
