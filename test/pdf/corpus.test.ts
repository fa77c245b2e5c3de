import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { extractCda } from '../../src/pdf/cda-extractor.ts';
import { hasSignature } from '../../src/pdf/pdf-signature.ts';
import { FseError } from '../../src/errors/fse-error.ts';
import { XmlInputError, withXml } from '../../src/xml/xml-toolkit.ts';
import { corpusDir, needsCatalog } from '../support/shared.ts';

/**
 * Conformance over the real PDFs producers send: every file ends in a CDA or an FseError, never another exception,
 * and the PDF bytes are left untouched. See: Gateway API digest, 6.1-6.4.
 */
test('every corpus PDF yields a CDA or an FseError', needsCatalog, async (t) => {
  const dir = path.join(corpusDir ?? '', 'pdf');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.pdf')).sort();
  const outcomes = new Map<string, number>();
  const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  let clinicalDocuments = 0;
  let signed = 0;

  for (const name of files) {
    const pdf = await readFile(path.join(dir, name));
    const copy = Buffer.from(pdf);
    try {
      const cda = await extractCda(pdf);
      count(cda.mode);
      const root = (() => {
        try {
          return withXml(cda.cdaBytes, (doc) => `${doc.root.namespaceUri}|${doc.root.name}`);
        } catch (err) {
          if (err instanceof XmlInputError) return 'not well-formed';
          throw err;
        }
      })();
      if (root === 'urn:hl7-org:v3|ClinicalDocument') clinicalDocuments += 1;
      if (await hasSignature(pdf)) signed += 1;
    } catch (err) {
      assert.ok(err instanceof FseError, `${name}: unexpected ${String(err)}`);
      count(`${err.code}: ${err.detail}`);
    }
    assert.ok(copy.equals(pdf), `${name}: PDF bytes changed`);
  }

  const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`${files.length} PDFs: ${JSON.stringify(Object.fromEntries(outcomes))}; ClinicalDocument roots: ${clinicalDocuments}; signed: ${signed}`);
  assert.equal(total, files.length);
  assert.ok(clinicalDocuments >= 10, `only ${clinicalDocuments} CDAs with a ClinicalDocument root`);
});
