import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import winston from 'winston';
import { resolveCatalog } from '../../../src/catalog/catalog.ts';
import { prepareEngineSetup } from '../../../src/validation/validation-pool.ts';
import { TINY_SCHEMATRON, writeTinyCatalog } from '../../support/tiny-catalog.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'prepare-progress-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A real winston logger whose JSON lines are kept in memory. */
function capturingLogger(): { logger: winston.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: winston.createLogger({ format: winston.format.json(), transports: [new winston.transports.Stream({ stream })] }), lines };
}

test('the start-up log says what the schematron compile is doing, file by file', async () => {
  const catalog = resolveCatalog(writeTinyCatalog(path.join(work, 'catalog')));
  const lab = catalog.schematronByType.LAB as string;
  assert.equal(path.basename(lab), TINY_SCHEMATRON.LAB);
  const { logger, lines } = capturingLogger();
  const setup = await prepareEngineSetup(catalog, path.join(work, 'cache'), logger, { files: [lab] });
  assert.deepEqual(Object.keys(setup.sefByFile), [lab]);
  const messages = lines.map((l) => String(l.message));
  assert.equal(messages.length, 3, messages.join('\n'));
  assert.equal(messages[0], 'schematron: 1 of 1 file(s) not in the SEF cache, compiling (5-10 s each)');
  assert.match(messages[1] ?? '', /^compiling schematron 1 of 1: schematronFSE_LAB_v1\.0\.sch \(\d+\.\d s\)$/);
  assert.deepEqual([lines[1]?.file, lines[1]?.done, lines[1]?.total], [lab, 1, 1]);
  assert.equal(messages[2], 'schematron ready');
  assert.equal(lines[2]?.compiled, 1);
});
