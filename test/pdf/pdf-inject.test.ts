import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFString } from '@cantoo/pdf-lib';
import { createSamplePdf, injectCda } from '../../src/pdf/pdf-inject.ts';
import { extractCda, loadPdf, textOf } from '../../src/pdf/cda-extractor.ts';
import { run } from '../../src/cli/commands/inject.ts';
import { buildPdf, latin1Cda, minimalCda, notAPdf, utf8 } from '../support/pdf-builders.ts';

/** See: Gateway API digest, 6.1 (how the official pdf-generator injects). */

async function embeddedFilesNames(pdf: Uint8Array): Promise<{ tree: PDFDict; names: PDFArray }> {
  const doc = await loadPdf(pdf);
  const tree = doc.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict);
  return { tree, names: tree.lookup(PDFName.of('Names'), PDFArray) };
}

describe('injectCda', () => {
  test('round trip: the CDA reads back byte for byte, in ATTACHMENT and in automatic mode', async () => {
    const cda = latin1Cda();
    const pdf = await injectCda(await createSamplePdf('Referto'), cda);
    assert.deepEqual((await extractCda(pdf, 'ATTACHMENT')).cdaBytes, cda);
    const auto = await extractCda(pdf);
    assert.equal(auto.mode, 'ATTACHMENT');
    assert.deepEqual(auto.cdaBytes, cda);
  });

  test('flat name tree, key and /F both cda.xml, subtype application/xml, /Size set', async () => {
    const cda = utf8(minimalCda());
    const { tree, names } = await embeddedFilesNames(await injectCda(await createSamplePdf('Referto'), cda));
    assert.equal(tree.has(PDFName.of('Kids')), false);
    assert.equal(names.size(), 2);
    assert.ok(names.get(0) instanceof PDFString);
    assert.equal(textOf(names.lookup(0)), 'cda.xml');
    const spec = names.lookup(1, PDFDict);
    assert.equal(textOf(spec.lookup(PDFName.of('F'))), 'cda.xml');
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
    assert.ok(stream instanceof PDFRawStream);
    assert.equal(stream.dict.get(PDFName.of('Subtype')), PDFName.of('application/xml'));
    assert.equal(stream.dict.lookup(PDFName.of('Params'), PDFDict).get(PDFName.of('Size'))?.toString(), String(cda.length));
  });

  test('other attachments are kept, a previous cda.xml is replaced, /Kids are flattened', async () => {
    const pdf = await buildPdf({
      attachments: [{ key: 'zeta.txt', bytes: utf8('z') }, { key: 'cda.xml', bytes: utf8(minimalCda('Vecchio')) }, { key: 'alfa.txt', bytes: utf8('a') }],
      kidsDepth: 1,
    });
    const cda = utf8(minimalCda('Nuovo'));
    const injected = await injectCda(pdf, cda);
    const twice = await injectCda(injected, cda);
    assert.deepEqual((await extractCda(twice, 'ATTACHMENT')).cdaBytes, cda);
    const { tree, names } = await embeddedFilesNames(twice);
    assert.equal(tree.has(PDFName.of('Kids')), false);
    const keys = names.asArray().filter((_, i) => i % 2 === 0).map((key) => textOf(key));
    assert.deepEqual(keys, ['alfa.txt', 'cda.xml', 'zeta.txt']);
  });

  test('the input PDF is not modified; non-PDF input is refused', async () => {
    const pdf = await createSamplePdf('Referto');
    const copy = pdf.slice();
    await injectCda(pdf, utf8(minimalCda()));
    assert.deepEqual(pdf, copy);
    await assert.rejects(injectCda(notAPdf(), utf8(minimalCda())), { code: 'documentType' });
  });
});

describe('fse-bridge inject', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (s: string) => { out.stdout += s; }, stderr: (s: string) => { out.stderr += s; } } };
  };

  test('writes <pdf>.cda.pdf beside the PDF, or --out; sample PDF without --pdf', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'inject-'));
    try {
      const cdaFile = path.join(dir, 'referto.xml');
      const pdfFile = path.join(dir, 'referto.pdf');
      await writeFile(cdaFile, minimalCda());
      await writeFile(pdfFile, await createSamplePdf('Referto'));
      const a = io();
      assert.equal(await run(['--cda', cdaFile, '--pdf', pdfFile], a.io), 0, a.out.stderr);
      const written = await readFile(path.join(dir, 'referto.cda.pdf'));
      assert.equal((await extractCda(written, 'ATTACHMENT')).cdaText, minimalCda());
      const b = io();
      const outFile = path.join(dir, 'sample.pdf');
      assert.equal(await run(['--cda', cdaFile, '--out', outFile], b.io), 0, b.out.stderr);
      assert.equal((await extractCda(await readFile(outFile))).mode, 'ATTACHMENT');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('usage errors exit 2, failures exit 1', async () => {
    const a = io();
    assert.equal(await run([], a.io), 2);
    assert.match(a.out.stderr, /Missing --cda/);
    assert.equal(await run(['--cda', 'x.xml', '--bogus'], io().io), 2);
    assert.equal(await run(['stray'], io().io), 2);
    const b = io();
    assert.equal(await run(['--cda', '/nonexistent/cda.xml'], b.io), 1);
    assert.match(b.out.stderr, /inject failed/);
    const help = io();
    assert.equal(await run(['--help'], help.io), 0);
    assert.match(help.out.stdout, /Usage: fse-bridge inject/);
  });
});
