import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveCatalog } from '../../../src/catalog/catalog.ts';
import type { Finding } from '../../../src/validation/findings.ts';
import { createInlineValidator, prepareEngineSetup, type CdaValidator } from '../../../src/validation/validation-pool.ts';
import { corpusDir, needsCatalog, officialCatalogDir } from '../../support/shared.ts';
import { sharedCacheDir } from './helpers.ts';

/**
 * The project's own rules (the catalog used when none is configured, so by `npm start` out of the box) must never
 * refuse what the official catalog accepts: every official example and every valid accreditation sample passes the
 * whole project validation (schematron, regional rules, terminology) with no error and no warning.
 */
function samples(): { name: string; file: string }[] {
  const dirs = { examples: path.join(officialCatalogDir ?? '', 'examples', 'cda'), ok: path.join(corpusDir ?? '', 'ok') };
  return Object.entries(dirs).flatMap(([label, dir]) =>
    readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => ({ name: `${label}/${f}`, file: path.join(dir, f) })));
}

const describeFinding = (f: Finding): string => `${f.severity} ${f.id}: ${f.message}`;

describe('project rules over the official examples and the valid corpus', needsCatalog, () => {
  let validator: CdaValidator;
  before(async () => {
    validator = await createInlineValidator(await prepareEngineSetup(resolveCatalog(undefined), sharedCacheDir));
  });
  after(async () => validator.close());

  test('every sample passes with no finding, and all 9 examples and 33 samples were read', async () => {
    const all = samples();
    assert.equal(all.filter((s) => s.name.startsWith('examples/')).length, 9);
    assert.equal(all.filter((s) => s.name.startsWith('ok/')).length, 33);
    const refused: string[] = [];
    for (const sample of all) {
      const report = await validator.validate(readFileSync(sample.file, 'utf8'));
      const findings = [...report.errors, ...report.warnings, ...report.regionalWarnings];
      if (!report.valid || findings.length > 0) {
        refused.push(`${sample.name} (${report.docType ?? 'unknown type'}, stage ${report.failedStage ?? 'none'}):\n  `
          + findings.map(describeFinding).join('\n  '));
      }
    }
    assert.deepEqual(refused, [], `the project rules refuse or warn on official samples:\n${refused.join('\n')}`);
  });
});
