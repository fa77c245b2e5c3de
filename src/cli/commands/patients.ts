import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { IdFormatError, parsePatientId } from '../../domain/ids.js';
import { silentLogger } from '../../logging/logger.js';
import { openDatabase } from '../../pipeline/database.js';
import { createAssistedPatientStore } from '../../stores/assisted-patient-store.js';
import type { CliIo } from '../io.js';

const USAGE = 'usage: fse-bridge patients assign CX... | patients release CX... | patients list [--limit N]';

/**
 * `fse-bridge patients`: the patients this region assists (it is their RDA): queries about them are answered from
 * the regional registry, queries about anybody else go to INI. The region's enrolment feeds the list with `assign`;
 * INI's metadata messages add to it too. JSON lines on stdout. See: xds-ini digest 1.1, 1.4 E.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { limit: { type: 'string', default: '1000' } } });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [verb, ...ids] = parsed.positionals;
  const limit = Number(parsed.values.limit);
  if (!verb || !['assign', 'release', 'list'].includes(verb) || (verb !== 'list' && ids.length === 0) || !Number.isInteger(limit) || limit < 1) {
    io.stderr(USAGE);
    return 2;
  }
  let patients;
  try {
    patients = ids.map(parsePatientId);
  } catch (error) {
    if (!(error instanceof IdFormatError)) throw error;
    io.stderr(`${error.message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const db = await openDatabase(config, silentLogger(), config.dbSchema);
  try {
    const store = createAssistedPatientStore(db.pool);
    if (verb === 'list') {
      for (const p of await store.list(limit)) io.stdout(JSON.stringify({ patientId: p.patientId, source: p.source, since: p.since.toISOString() }));
      return 0;
    }
    for (const patientId of patients) {
      if (verb === 'assign') await store.assign(patientId, 'enrolment');
      const released = verb === 'release' ? await store.release(patientId) : undefined;
      io.stdout(JSON.stringify({ patientId, [verb === 'assign' ? 'assigned' : 'released']: verb === 'assign' ? true : released }));
    }
    return 0;
  } finally {
    await db.close();
  }
}
