import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { loadDocumentTypes, type DocumentType, type TypeSelection } from './document-types.js';

/**
 * What a validation engine needs from a catalog, resolved to file paths. Either the Ministry's official catalog
 * (it-fse-catalogs layout: `schema/`, `schematron/`, `terminology/`) or, when none is configured, the project's own
 * rules in `schematron/` and value sets in `mappings/terminology/`.
 */
export interface CatalogDescriptor {
  readonly kind: 'official' | 'project';
  readonly dir: string;
  /** Hash of every file the engine reads: a new catalog version means new compiled rules. */
  readonly version: string;
  readonly documentTypes: readonly DocumentType[];
  /** Schematron per document type key (official: that type's file; project: the identity rules). */
  readonly schematronByType: Readonly<Record<string, string>>;
  /** Rules every document runs in addition to its type's (project: the CDA2 header rules). */
  readonly commonSchematron: readonly string[];
  /** Regional rules: always run, only ever warnings. */
  readonly regionalSchematron: readonly string[];
  /** XSD folders keyed by typeId extension; absent for the project catalog (it ships no CDA schema). */
  readonly schemaDir?: string;
  readonly terminologyDir: string;
}

const PROJECT_SCHEMATRON_DIR = path.join(PROJECT_ROOT, 'schematron');

function versionNumber(file: string, stem: string): number[] {
  return path.basename(file, '.sch').slice(stem.length).split(/[._]/).map((p) => Number.parseInt(p, 10) || 0);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The highest version of a type's schematron in the folder, as the Gateway keeps the highest stored version. */
function pickSchematron(files: readonly string[], stem: string): string | undefined {
  const candidates = files.filter((f) => f.startsWith(stem) && f.endsWith('.sch'));
  candidates.sort((a, b) => compareVersions(versionNumber(b, stem), versionNumber(a, stem)));
  return candidates[0];
}

function hashFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Resolves the active catalog; throws with a clear message when an official catalog is incomplete. */
export function resolveCatalog(catalogDir: string | undefined): CatalogDescriptor {
  const documentTypes = loadDocumentTypes();
  const regionalSchematron = [path.join(PROJECT_SCHEMATRON_DIR, 'regional.sch')];
  if (!catalogDir) {
    const identity = path.join(PROJECT_SCHEMATRON_DIR, 'document-identity.sch');
    const terminologyDir = path.join(PROJECT_ROOT, 'mappings', 'terminology');
    const commonSchematron = [path.join(PROJECT_SCHEMATRON_DIR, 'cda2-header.sch')];
    return Object.freeze({
      kind: 'project',
      dir: PROJECT_SCHEMATRON_DIR,
      version: hashFiles([identity, ...commonSchematron, ...regionalSchematron, ...listFiles(terminologyDir)]),
      documentTypes,
      schematronByType: Object.fromEntries(documentTypes.map((t) => [t.key, identity])),
      commonSchematron,
      regionalSchematron,
      terminologyDir,
    });
  }
  for (const sub of ['schema', 'schematron', 'terminology']) {
    if (!existsSync(path.join(catalogDir, sub))) throw new Error(`catalog ${catalogDir} has no ${sub}/ folder`);
  }
  const schematronDir = path.join(catalogDir, 'schematron');
  const files = readdirSync(schematronDir);
  const schematronByType: Record<string, string> = {};
  for (const type of documentTypes) {
    const file = pickSchematron(files, type.schematronStem);
    if (file) schematronByType[type.key] = path.join(schematronDir, file);
  }
  const schemaDir = path.join(catalogDir, 'schema');
  const terminologyDir = path.join(catalogDir, 'terminology');
  return Object.freeze({
    kind: 'official',
    dir: catalogDir,
    version: hashFiles([...listFiles(schematronDir), ...listFiles(schemaDir), ...listFiles(terminologyDir), ...regionalSchematron]),
    documentTypes,
    schematronByType,
    commonSchematron: [],
    regionalSchematron,
    schemaDir,
    terminologyDir,
  });
}

/** Every schematron file the engine must compile, without duplicates. */
export function allSchematronFiles(catalog: CatalogDescriptor): string[] {
  return [...new Set([...Object.values(catalog.schematronByType), ...catalog.commonSchematron, ...catalog.regionalSchematron])];
}

/**
 * The schematron a document of the selected type runs besides the regional rules: its type's file, then the common
 * rules; undefined when the catalog has none for it (the Gateway's "Schematron ... not found"). See: Gateway API 7.3.
 */
export function typeSchematron(catalog: CatalogDescriptor, selection: TypeSelection): string[] | undefined {
  const file = selection.kind === 'found' ? catalog.schematronByType[selection.type.key] : undefined;
  return file ? [file, ...catalog.commonSchematron] : undefined;
}
