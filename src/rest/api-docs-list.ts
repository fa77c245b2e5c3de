import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CatalogDescriptor } from '../catalog/catalog.js';
import type { Logger } from '../logging/logger.js';
import { BRIDGE_OPENAPI_FILES } from './bridge-openapi.js';

/** One document of the documentation page: its file is read at each request, never copied. */
export interface ApiDocument {
  /** The URL segment under `/docs/openapi/`: the file's own name, from a directory listing, never from a URL. */
  readonly name: string;
  readonly title: string;
  readonly origin: 'national' | 'bridge';
  readonly file: string;
  readonly contentType: string;
}

/** What the list needs of the active catalog: only an official one (it-fse-catalogs layout) has `openapi/`. */
export type ApiDocsCatalog = Pick<CatalogDescriptor, 'kind' | 'dir' | 'version'>;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.yaml': 'application/yaml', '.yml': 'application/yaml', '.json': 'application/json',
};

/** Display names of the Ministry's files; any other file of the folder is listed under its own name. */
const NATIONAL_TITLES: Readonly<Record<string, string>> = {
  gateway: 'Gateway FSE 2.0',
  status: 'Gateway FSE 2.0 status',
};

/**
 * The national contract's OpenAPI documents: every `*.yaml`, `*.yml` and `*.json` of `<catalogDir>/openapi`, the
 * Gateway first. The bridge implements them; the Ministry publishes them in it-fse-catalogs, so they are served
 * from there and never copied into the project. None without an official catalog.
 */
export function nationalDocuments(catalog: ApiDocsCatalog): ApiDocument[] {
  if (catalog.kind !== 'official') return [];
  const dir = path.join(catalog.dir, 'openapi');
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .filter((name) => CONTENT_TYPES[path.extname(name).toLowerCase()] !== undefined && statSync(path.join(dir, name)).isFile())
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => {
    const stem = path.basename(name, path.extname(name));
    return {
      name, origin: 'national', file: path.join(dir, name), contentType: CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
      title: `${NATIONAL_TITLES[stem] ?? stem} (national contract, catalog ${catalog.version})`,
    };
  });
}

const rank = (name: string) => (name.startsWith('gateway.') ? 0 : 1);

/** The bridge's own APIs (`openapi/*.json`), titled by their `info.title`. */
export function bridgeDocuments(): ApiDocument[] {
  return BRIDGE_OPENAPI_FILES.map(({ name, file }) => {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { info?: { title?: unknown } };
    const title = typeof doc.info?.title === 'string' ? doc.info.title : name;
    return { name, title, origin: 'bridge', file, contentType: 'application/json' };
  });
}

/** Every document, national first; a national file named as one of the bridge's is left out (and logged). */
export function apiDocuments(catalog: ApiDocsCatalog, logger?: Logger): ApiDocument[] {
  const bridge = bridgeDocuments();
  const taken = new Set(bridge.map((d) => d.name));
  const national = nationalDocuments(catalog).filter((d) => {
    if (!taken.has(d.name)) return true;
    logger?.warn('national OpenAPI file not served: the bridge has a document of that name', { file: d.file });
    return false;
  });
  return [...national, ...bridge];
}
