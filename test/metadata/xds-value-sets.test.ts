import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadDocumentTypes } from '../../src/catalog/document-types.ts';
import { projectRoot, valueSets } from '../../src/mappings/value-sets.ts';
import { findEventCode, readXdsValueSets, xdsValueSets } from '../../src/mappings/xds-value-sets.ts';
import { DOCUMENT_ENTRY, FOLDER, SUBMISSION_SET } from '../../src/metadata/vocabulary.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'fse-xds-mappings-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Copies mappings/ and rewrites one file, to check that the loader refuses it. */
function withChangedFile(file: string, change: (json: { codes: unknown[] } & Record<string, unknown>) => unknown): string {
  const dir = mkdtempSync(path.join(tmp, 'm-'));
  cpSync(path.join(projectRoot, 'mappings'), dir, { recursive: true });
  const full = path.join(dir, file);
  writeFileSync(full, JSON.stringify(change(JSON.parse(readFileSync(full, 'utf8')) as { codes: unknown[] })));
  return dir;
}

describe('XDS value sets (Gateway API digest, 10; xds-ini digest, 6)', () => {
  const sets = xdsValueSets();

  test('loads every set with its coding scheme', () => {
    const summary = Object.fromEntries(Object.entries(sets).map(([k, v]) =>
      [k, 'scheme' in v ? `${v.scheme} ${v.codes.length}` : (v as unknown[]).length]));
    assert.deepEqual(summary, {
      classCodes: '2.16.840.1.113883.2.9.3.3.6.1.5 19',
      typeCodes: '2.16.840.1.113883.6.1 37',
      formatCodes: '2.16.840.1.113883.2.9.3.3.6.1.6 23',
      facilityTypes: '2.16.840.1.113883.2.9.3.3.6.1.1 6',
      practiceSettings: '2.16.840.1.113883.2.9.3.3.6.1.2 89',
      contentTypes: '2.16.840.1.113883.2.9.3.3.6.1.4 8',
      eventCodes: '2.16.840.1.113883.2.9.3.3.6.1.3 233',
      confidentialityCodes: '2.16.840.1.113883.5.25 3',
      administrativeRequests: 6,
      descriptionOids: 8,
    });
  });

  test('is frozen and loaded once', () => {
    assert.equal(xdsValueSets(), sets);
    assert.ok(Object.isFrozen(sets));
    assert.ok(Object.isFrozen(sets.typeCodes) && Object.isFrozen(sets.typeCodes.codes) && Object.isFrozen(sets.typeCodes.codes[0]));
    assert.ok(Object.isFrozen(sets.descriptionOids[0]));
  });

  test('every classCode of the correlation table exists; every classCode but WOR/RIC has a LOINC', () => {
    const classes = new Set(sets.classCodes.codes.map((c) => c.code));
    for (const t of sets.typeCodes.codes) assert.ok(classes.has(t.classCode), `${t.code} -> ${t.classCode}`);
    const used = new Set(sets.typeCodes.codes.map((t) => t.classCode));
    assert.deepEqual([...classes].filter((c) => !used.has(c)), ['WOR', 'RIC']);
  });

  test('practice settings are AD_PSC + 3 digits; the OID-shaped formatCodes are all under the CDA template roots', () => {
    for (const p of sets.practiceSettings.codes) assert.match(p.code, /^AD_PSC\d{3}$/);
    for (const f of sets.formatCodes.codes.filter((c) => /^\d/.test(c.code))) {
      assert.match(f.code, /^2\.16\.840\.1\.113883\.2\.9\.(10\.1|4\.3\.14$)/);
      assert.ok(f.display, `${f.code} has a display`);
    }
  });

  test('document types: every template root has a formatCode display or is a newer template; LOINC gaps are known', () => {
    const types = loadDocumentTypes();
    const formats = new Set(sets.formatCodes.codes.map((c) => c.code));
    assert.deepEqual(types.filter((t) => !formats.has(t.templateRoot)).map((t) => t.key),
      ['PRF_NOSSN', 'ERF_NOSSN', 'LET_SCREENING', 'LET_VACC', 'TELEVISITA', 'TELECONSULTO', 'TELEASSISTENZA', 'TPI', 'CC']);
    const loinc = new Set(sets.typeCodes.codes.map((c) => c.code));
    // Not in the Gateway's correlation table (digest 10.12): publication of these types fails the [REL] check.
    assert.deepEqual([...new Set(types.flatMap((t) => t.loinc).filter((l) => !loinc.has(l)))], ['60593-1', '111490-9']);
  });

  test('event codes match case-insensitively and keep the table spelling', () => {
    assert.equal(findEventCode(sets, 'p99')?.code, 'P99');
    assert.equal(findEventCode(sets, 'PAY')?.code, 'pay');
    assert.equal(findEventCode(sets, 'j07bn05')?.code, 'J07BN05');
    assert.equal(findEventCode(sets, 'P96'), undefined);
    for (const c of ['P99', 'P00', 'P97', 'P98']) assert.ok(findEventCode(sets, c)?.display);
  });

  test('facility and content types translate request values to XDS codes', () => {
    assert.equal(sets.facilityTypes.codes.find((c) => c.value === 'MdsPN_DGC')?.code, 'MdsPN-DGC');
    assert.equal(sets.contentTypes.codes.find((c) => c.value === 'Sistema_TS')?.code, 'Sistema TS');
    assert.equal(sets.contentTypes.codes.find((c) => c.value === 'PN_DGC')?.code, 'PN-DGC');
  });

  test('the regional description OID is a template over the organization codes', () => {
    const regional = sets.descriptionOids.filter((d) => d.oid.includes('{REG}'));
    assert.deepEqual(regional.map((d) => d.oid), ['2.16.840.1.113883.2.9.2.{REG}.6.1.11']);
    assert.ok(valueSets().organizations.some((o) => o.code === '120'));
  });

  test('refuses a correlation classCode missing from the class codes', () => {
    const dir = withChangedFile('xds-type-codes.json', (j) => ({ ...j, codes: [...j.codes, { code: '1-1', display: 'x', classCode: 'ZZZ' }] }));
    assert.throws(() => readXdsValueSets(dir), /classCode ZZZ of 1-1 is not in xds-class-codes\.json/);
  });

  test('refuses duplicates (event codes case-insensitively), a bad scheme and a missing $comment', () => {
    const dup = withChangedFile('xds-event-codes.json', (j) => ({ ...j, codes: [...j.codes, { code: 'p99' }] }));
    assert.throws(() => readXdsValueSets(dup), /xds-event-codes\.json.*duplicate code p99/s);
    const scheme = withChangedFile('xds-class-codes.json', (j) => ({ ...j, scheme: 'classCode' }));
    assert.throws(() => readXdsValueSets(scheme), /xds-class-codes\.json.*not an OID/s);
    const comment = withChangedFile('xds-facility-types.json', ({ $comment: _c, ...j }) => j);
    assert.throws(() => readXdsValueSets(comment), /xds-facility-types\.json/);
    const value = withChangedFile('xds-content-types.json', (j) => ({ ...j, codes: [...j.codes, { value: 'CON', code: 'X', display: 'x' }] }));
    assert.throws(() => readXdsValueSets(value), /duplicate value CON/);
  });

  test('the vocabulary holds distinct, well-formed IHE UUIDs (xds-ini digest, 3.2)', () => {
    const uuids = [...Object.values(DOCUMENT_ENTRY), ...Object.values(SUBMISSION_SET), ...Object.values(FOLDER)];
    for (const u of uuids) assert.match(u, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(new Set(uuids).size, uuids.length);
    assert.equal(SUBMISSION_SET.uniqueId, 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8');
  });
});
