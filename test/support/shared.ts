import path from 'node:path';
import { existsSync } from 'node:fs';

/**
 * Where the official catalog and corpus are, for the conformance tests. They run only when FSE_CATALOG_DIR is set
 * (`.ci/run` sets it): the project never ships those files, so a fresh clone without `../shared` skips them.
 */
const catalogDir = process.env.FSE_CATALOG_DIR ? path.resolve(process.env.FSE_CATALOG_DIR) : undefined;

export const officialCatalogDir: string | undefined = catalogDir && existsSync(catalogDir) ? catalogDir : undefined;
export const corpusDir: string | undefined = officialCatalogDir ? path.resolve(officialCatalogDir, '..', 'corpus') : undefined;

/** Options for `test()`/`describe()` that need the official catalog. */
export const needsCatalog = { skip: officialCatalogDir ? false : 'FSE_CATALOG_DIR is not set' } as const;

if (process.env.FSE_CATALOG_DIR && !officialCatalogDir) {
  throw new Error(`FSE_CATALOG_DIR=${process.env.FSE_CATALOG_DIR} does not exist`);
}
