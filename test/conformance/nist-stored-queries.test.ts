import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { formatDtm } from '../../src/metadata/dtm.js';
import { createRegistryStore } from '../../src/stores/registry-store.js';
import { unmetExpectations } from '../support/nist/expected-contents.js';
import { needsNist, nistTestsDir, sectionsOf } from '../support/nist/nist-testkit.js';
import { runQueryStep, xpathHolds } from '../support/nist/query-step.js';
import { loadRegistryData, type TestLogs } from '../support/nist/registry-loader.js';
import { readTestPlan } from '../support/nist/testplan.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';

/**
 * Replays the NIST XDS Toolkit's registry stored query tests (read at run time from `../shared/conformance/nist`,
 * never copied): the registry is loaded with the Register.b data of 12346 (one patient) and 12374 (another), then
 * every step of every section runs through decodeAdhocQueryRequest -> registryStoredQuery -> encodeAdhocQueryResponse
 * -> decodeAdhocQueryResponse, and the toolkit's ExpectedStatus, ExpectedErrorCode and ExpectedContents are checked.
 * See: NIST testkit README (shared/conformance/nist); IHE ITI TF-2a 3.18.
 */
const QUERY_TESTS = ['11897', '11898', '11899', '11901', '11902', '11903', '11904', '11905', '11906', '11907', '11908', '11909', '15803', '12368'];

const read = (file: string) => readFileSync(file, 'utf8');
const testkit = nistTestsDir ?? '';
const sections = nistTestsDir ? QUERY_TESTS.flatMap((t) => sectionsOf(path.join(testkit, t), read)) : [];
/** A new patient per data test, as the toolkit's Patient Identity Feed creates one. */
const newPatient = () => `${randomBytes(8).toString('hex')}^^^&1.3.6.1.4.1.21367.13.20.1000&ISO`;

describe('NIST XDS Toolkit registry stored query tests', needsNist, () => {
  let db: TestSchema;
  const logs: TestLogs = new Map();
  const loaded: number[] = [];

  before(async () => {
    db = await createTestSchema();
    const registry = createRegistryStore(db.pool);
    loaded.push(await loadRegistryData(registry, path.join(testkit, '12346'), newPatient(), logs));
    loaded.push(await loadRegistryData(registry, path.join(testkit, '12374'), newPatient(), logs));
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
      let lastResponse: string | undefined;
      for (const step of readTestPlan(sectionDir)) {
        const where = `${path.relative(testkit, sectionDir)} step ${step.id}`;
        if (step.kind === 'StoredQuery') {
          const { response, responseXml } = await runQueryStep(step, sectionDir, logs, deps);
          lastResponse = responseXml;
          const errors = response.errors.map((e) => `${e.code}: ${e.codeContext}`);
          if (step.expectedStatus !== undefined) assert.equal(response.status, step.expectedStatus, `${where}: status (${errors.join('; ')})`);
          for (const code of step.expectedErrorCodes) assert.ok(response.errors.some((e) => e.code === code), `${where}: expected ${code}, got ${errors.join('; ')}`);
          assert.deepEqual(unmetExpectations(response.result, step.expectedContents), [], `${where}: ExpectedContents`);
        } else if (step.kind === 'Null') {
          assert.ok(lastResponse !== undefined, `${where}: no earlier response to assert on`);
          for (const xpath of step.assertions) assert.ok(xpathHolds(lastResponse, xpath), `${where}: ${xpath}`);
        } else {
          assert.fail(`${where}: a ${step.kind} step is not replayed by this test`);
        }
      }
    });
  }
});
