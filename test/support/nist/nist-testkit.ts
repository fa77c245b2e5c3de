import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

/** The registry stored query tests, replayed over the data of 12346 and 12374. See: shared/conformance/nist/README.md. */
export const NIST_QUERY_TESTS = ['11897', '11898', '11899', '11901', '11902', '11903', '11904', '11905', '11906', '11907', '11908', '11909', '15803', '12368'];

/** The repository tests: Provide and Register, then query and retrieve what was provided. */
export const NIST_REPOSITORY_TESTS = ['11966', '11979', '11981', '12369', '11983', '11986', '12021', '12029', '12360'];

/** The section folders of `tests`, in run order; none without the testkit. */
export const sectionsOfTests = (tests: readonly string[]): string[] =>
  nistTestsDir ? tests.flatMap((t) => sectionsOf(path.join(nistTestsDir ?? '', t), (file) => readFileSync(file, 'utf8'))) : [];

/** A new patient per data test, as the toolkit's Patient Identity Feed creates one. */
export const newNistPatient = (): string => `${randomBytes(8).toString('hex')}^^^&1.3.6.1.4.1.21367.13.20.1000&ISO`;
