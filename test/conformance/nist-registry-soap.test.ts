import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { formatDtm } from '../../src/metadata/dtm.js';
import { needsNist, newNistPatient, NIST_QUERY_TESTS, nistTestsDir, sectionsOfTests } from '../support/nist/nist-testkit.js';
import { loadRegistryData, type TestLogs } from '../support/nist/registry-loader.js';
import { replaySection, type Tally } from '../support/nist/section-replay.js';
import { queryOverSoap, registerOverSoap } from '../support/nist/soap-executors.js';
import { startTestBed, type TestBed } from '../support/nist/test-bed.js';

/**
 * The NIST XDS Toolkit's registry tests as the toolkit runs them against a Document Registry, over the wire: the
 * IHE test bed (`FSE_XDS_METADATA_PROFILE=ihe FSE_ACCESS_POLICY=mappings/access-policy-open.json INI_URL=none
 * fse-bridge start --dev`, a process of its own) is loaded with the Register.b (ITI-42) submissions of 12346 and
 * 12374 over SOAP, then every stored query step (ITI-18 over SOAP) is checked with the toolkit's assertions.
 * Every section passes; the tally of steps is asserted at the end. See: shared/conformance/nist/README.md.
 */
const testkit = nistTestsDir ?? '';
const sections = sectionsOfTests(NIST_QUERY_TESTS);

describe('NIST XDS Toolkit registry tests over SOAP against the IHE test bed', needsNist, () => {
  let bed: TestBed;
  const logs: TestLogs = new Map();
  const loaded: number[] = [];
  const tallies: Tally[] = [];

  before(async () => {
    bed = await startTestBed();
    loaded.push(await loadRegistryData(registerOverSoap(bed.baseUrl), path.join(testkit, '12346'), newNistPatient(), logs));
    loaded.push(await loadRegistryData(registerOverSoap(bed.baseUrl), path.join(testkit, '12374'), newNistPatient(), logs));
    // FindFolders compares lastUpdateTime with $now$ (To exclusive, second precision): query from the next second.
    const loadedAt = formatDtm(new Date());
    while (formatDtm(new Date()) === loadedAt) await sleep(50);
  });
  after(async () => {
    const code = await bed?.stop();
    assert.equal(code, 0, 'the test bed stops cleanly on SIGINT');
  });

  test('the test bed runs without federation and says so', () => {
    assert.match(bed.logs(), /INI federation off \(INI_URL=none\): the regional registry answers alone/);
    assert.doesNotMatch(bed.logs(), /INI simulator started/);
    assert.match(bed.logs(), /metadata profile ihe: ITI-41 documents stay in the regional repository/);
    assert.match(bed.logs(), /access policy is OPEN/);
  });

  test('12346 and 12374 are registered over SOAP (ITI-42): 5 Register.b submissions each', () => {
    assert.deepEqual(loaded, [5, 5]);
  });

  for (const sectionDir of sections) {
    test(path.relative(testkit, sectionDir), async () => {
      const tally = await replaySection(sectionDir, { testkit, logs, query: queryOverSoap(bed.baseUrl) });
      tallies.push(tally);
      assert.equal(tally.passed, tally.steps);
    });
  }

  test('every step of every registry section passed', (t) => {
    const steps = tallies.reduce((n, t) => n + t.steps, 0);
    const passed = tallies.reduce((n, t) => n + t.passed, 0);
    assert.equal(tallies.length, sections.length);
    assert.ok(steps > sections.length, `${steps} steps`);
    t.diagnostic(`registry: ${passed}/${steps} steps passed`);
    assert.equal(passed, steps, `${passed}/${steps} steps`);
  });
});
