import { existsSync } from 'node:fs';
import path from 'node:path';
import { officialCatalogDir } from '../shared.js';

/**
 * Where the NIST XDS Toolkit testkit is: `<catalog>/../conformance/nist/tests`, read at run time only (its data is
 * never copied into the project). The replay runs when FSE_CATALOG_DIR is set and that folder exists; a fresh clone
 * without `../shared` skips it, like the other conformance tests (`test/support/shared.ts`).
 */
const candidate = officialCatalogDir ? path.resolve(officialCatalogDir, '..', 'conformance', 'nist', 'tests') : undefined;

export const nistTestsDir: string | undefined = candidate && existsSync(candidate) ? candidate : undefined;

/** Options for `describe()`/`test()` that need the NIST testkit. */
export const needsNist = {
  skip: nistTestsDir ? false : officialCatalogDir ? 'conformance/nist is not beside the catalog' : 'FSE_CATALOG_DIR is not set',
} as const;

/** The sections of a test in run order (`index.idx`), or the test folder itself when it has none. */
export function sectionsOf(testDir: string, read: (file: string) => string): string[] {
  const index = path.join(testDir, 'index.idx');
  if (!existsSync(index)) return [testDir];
  return read(index).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '').map((s) => path.join(testDir, s));
}
