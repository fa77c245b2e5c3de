import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveCatalog } from '../../src/catalog/catalog.ts';
import { buildSampleCda } from '../../src/dev/sample-cda.ts';
import { FseError } from '../../src/errors/fse-error.ts';
import { explainValidation } from '../../src/operations/explain-validation.ts';
import { createSamplePdf, injectCda } from '../../src/pdf/pdf-inject.ts';
import { createValidationRunStore, type ValidationRunStore } from '../../src/stores/validation-run-store.ts';
import { createInlineValidator, prepareEngineSetup, type CdaValidator } from '../../src/validation/validation-pool.ts';
import { EXPLAIN_RULES, lineOf, writeExplainCatalog } from '../support/explain-catalog.ts';
import { createTestSchema, type TestSchema } from '../support/test-database.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'explain-validation-'));
const sample = buildSampleCda().replaceAll('POCD_HD000040', 'POCD_MT000040UV02');
const broken = sample.replace('<birthTime value="19800101"/>', '<birthTime value="1980"/>');
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const countRuns = async (db: TestSchema) => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM validation_run')).rows[0]?.n);

describe('explainValidation (the console playground)', () => {
  let db: TestSchema;
  let validator: CdaValidator;
  let runs: ValidationRunStore;
  before(async () => {
    db = await createTestSchema();
    runs = createValidationRunStore(db.pool);
    const catalog = resolveCatalog(writeExplainCatalog(path.join(work, 'catalog')));
    validator = await createInlineValidator(await prepareEngineSetup(catalog, path.join(work, 'cache'), undefined, { engine: 'native' }));
  });
  after(async () => {
    await validator.close();
    await db.drop();
    rmSync(work, { recursive: true, force: true });
  });

  test('a CDA: validated, each finding on its line, recorded as a playground run of the operator', async () => {
    const run = await explainValidation({ bytes: utf8(broken), operator: 'mrossi' }, { validator, runs });
    assert.equal(run.valid, false);
    assert.equal(run.origin, 'playground');
    assert.deepEqual(run.findings.map((f) => [f.id, f.line]), [[EXPLAIN_RULES.birthTime, lineOf(broken, '<birthTime')]]);
    assert.equal(run.errors, 1);
    assert.deepEqual(await runs.get(run.id), run);
  });

  test('a PDF with the CDA embedded: the same finding on the same line', async () => {
    const pdf = await injectCda(await createSamplePdf('Prova'), Buffer.from(broken, 'utf8'));
    const run = await explainValidation({ bytes: pdf, operator: 'mrossi' }, { validator, runs });
    assert.equal(run.source, broken);
    assert.deepEqual(run.findings.map((f) => [f.id, f.line]), [[EXPLAIN_RULES.birthTime, lineOf(broken, '<birthTime')]]);
  });

  test('a valid CDA is recorded valid, without errors', async () => {
    const run = await explainValidation({ bytes: utf8(sample), operator: 'mrossi' }, { validator, runs });
    assert.equal(run.valid, true, JSON.stringify(run.findings));
    assert.equal(run.errors, 0);
  });

  test('unreadable uploads are FseErrors with a clear message, and nothing is recorded', async () => {
    const before = await countRuns(db);
    const refused = async (bytes: Uint8Array, code: FseError['code'], message: RegExp, maxBytes?: number) => {
      await assert.rejects(
        explainValidation({ bytes, operator: 'mrossi' }, { validator, runs, ...(maxBytes ? { maxBytes } : {}) }),
        (err: unknown) => err instanceof FseError && err.code === code && message.test(err.detail),
      );
    };
    await refused(new Uint8Array(), 'emptyFile', /vuoto/);
    await refused(utf8('just some text, no markup'), 'documentType', /neither a PDF nor a CDA/);
    await refused(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), 'documentType', /neither a PDF nor a CDA/);
    await refused(await createSamplePdf('no CDA here'), 'cdaElement', /Error while extracting CDA/);
    await refused(utf8('<ClinicalDocument xmlns="urn:hl7-org:v3"><title></ClinicalDocument>'), 'syntax', /not readable XML.*line 1/);
    await refused(utf8(sample), 'payloadTooLarge', /larger than 100 bytes/, 100);
    assert.equal(await countRuns(db), before);
  });

  test('a DTD with entities is refused, never expanded', async () => {
    const hostile = sample.replace('<ClinicalDocument', '<!DOCTYPE ClinicalDocument [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<ClinicalDocument')
      .replace('Documento di esempio', '&lol2;');
    const before = await countRuns(db);
    await assert.rejects(
      explainValidation({ bytes: utf8(hostile), operator: 'mrossi' }, { validator, runs }),
      (err: unknown) => err instanceof FseError && err.code === 'syntax' && /DOCTYPE/.test(err.detail),
    );
    assert.equal(await countRuns(db), before);
    const { rows } = await db.pool.query("SELECT 1 FROM validation_run WHERE source LIKE '%lollol%'");
    assert.equal(rows.length, 0);
  });
});
