import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { formatDtm } from '../../src/metadata/dtm.js';
import { createRegistryStore } from '../../src/stores/registry-store.js';
import { needsNist, newNistPatient, NIST_QUERY_TESTS, nistTestsDir, sectionsOfTests } from '../support/nist/nist-testkit.js';
import { inProcess } from '../support/nist/query-step.js';
import { replaySection } from '../support/nist/section-replay.js';
import { intoStore, loadRegistryData, type TestLogs } from '../support/nist/registry-loader.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';

/**
 * Replays the NIST XDS Toolkit's registry stored query tests (read at run time from `../shared/conformance/nist`,
 * never copied): the registry is loaded with the Register.b data of 12346 (one patient) and 12374 (another), then
 * every step of every section runs through decodeAdhocQueryRequest -> registryStoredQuery -> encodeAdhocQueryResponse
 * -> decodeAdhocQueryResponse, and the toolkit's ExpectedStatus, ExpectedErrorCode and ExpectedContents are checked.
 * See: NIST testkit README (shared/conformance/nist); IHE ITI TF-2a 3.18.
 */

const testkit = nistTestsDir ?? '';
const sections = sectionsOfTests(NIST_QUERY_TESTS);

describe('NIST XDS Toolkit registry stored query tests', needsNist, () => {
  let db: TestSchema;
  const logs: TestLogs = new Map();
  const loaded: number[] = [];

  before(async () => {
    db = await createTestSchema();
    const registry = createRegistryStore(db.pool);
    loaded.push(await loadRegistryData(intoStore(registry), path.join(testkit, '12346'), newNistPatient(), logs));
    loaded.push(await loadRegistryData(intoStore(registry), path.join(testkit, '12374'), newNistPatient(), logs));
    // FindFolders compares the registry-set lastUpdateTime with $now$ (To exclusive, second precision): the toolkit
    // always queries seconds after loading, so start in the next second as it would.
    const loadedAt = formatDtm(new Date());
    while (formatDtm(new Date()) === loadedAt) await sleep(50);
  });
  after(() => db?.drop());

  test('12346 and 12374 load through the ebRIM 2.1 -> 3.0 translation: 5 Register.b submissions each', () => {
    assert.deepEqual(loaded, [5, 5]);
  });

  for (const sectionDir of sections) {
    test(path.relative(testkit, sectionDir), async () => {
      const deps = { pool: db.pool, maxLeafClassResults: 1000, maxObjectRefResults: 10_000 };
      const tally = await replaySection(sectionDir, { testkit, logs, query: inProcess(deps) });
      assert.equal(tally.passed, tally.steps);
    });
  }
});
