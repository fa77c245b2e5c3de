import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type express from 'express';
import { PROJECT_ROOT } from '../config.js';
import { FseError } from '../errors/fse-error.js';
import type { Logger } from '../logging/logger.js';
import { apiDocuments, type ApiDocsCatalog, type ApiDocument } from './api-docs-list.js';
import { mountedRoute } from './mounted-route.js';
import type { RestResponse } from './rest-types.js';

/** The documentation page; its assets and documents live below it. */
export const API_DOCS_PATH = '/docs';

export interface ApiDocsRouteDeps {
  readonly catalog: ApiDocsCatalog;
  readonly logger?: Logger;
}

/** Scripts and styles from 'self' only: the page has no inline script (Swagger UI styles itself inline). */
export const API_DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

const UI_DIR = path.join(PROJECT_ROOT, 'openapi', 'ui');
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

interface Asset { readonly file: string; readonly contentType: string }

/** The only files served under `/docs/assets/`: a fixed table, so no URL reaches the filesystem. */
const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['swagger-ui-bundle.js', { file: path.join(SWAGGER_UI_DIR, 'swagger-ui-bundle.js'), contentType: 'text/javascript; charset=utf-8' }],
  ['swagger-ui-standalone-preset.js', { file: path.join(SWAGGER_UI_DIR, 'swagger-ui-standalone-preset.js'), contentType: 'text/javascript; charset=utf-8' }],
  ['swagger-ui.css', { file: path.join(SWAGGER_UI_DIR, 'swagger-ui.css'), contentType: 'text/css; charset=utf-8' }],
  ['favicon-32x32.png', { file: path.join(SWAGGER_UI_DIR, 'favicon-32x32.png'), contentType: 'image/png' }],
  ['docs-init.js', { file: path.join(UI_DIR, 'docs-init.js'), contentType: 'text/javascript; charset=utf-8' }],
]);

const NATIONAL_NOTE = '<p class="national-note" id="national-note">The national contract (the Gateway\'s OpenAPI) is not listed: '
  + 'no validation catalog is configured (FSE_CATALOG_DIR, the it-fse-catalogs layout, whose <code>openapi/</code> the bridge serves).</p>';

/** The page: `openapi/ui/index.html`, with a note when the national contract is absent. */
function page(documents: readonly ApiDocument[]): Buffer {
  const html = readFileSync(path.join(UI_DIR, 'index.html'), 'utf8');
  const national = documents.some((d) => d.origin === 'national');
  return Buffer.from(html.replace('<!-- national-note -->', national ? '' : NATIONAL_NOTE));
}

const bytes = (contentType: string, body: Buffer, extra: Record<string, string> = {}): RestResponse => ({
  status: 200, headers: { 'content-type': contentType, 'x-content-type-options': 'nosniff', ...extra }, body,
});

/** A file read now, so a new catalog's documents are served as they are; gone since start-up: 404. */
async function fileResponse(file: string, contentType: string, what: string): Promise<RestResponse> {
  try {
    return bytes(contentType, await readFile(file));
  } catch {
    throw new FseError('notFound', `${what} is no longer available`);
  }
}

/**
 * `GET /docs`: Swagger UI over every OpenAPI document the bridge answers to, the national contract's (read from the
 * catalog, byte for byte) first, then the bridge's own (`openapi/*.json`). `GET /docs/openapi` lists them,
 * `GET /docs/openapi/{name}` serves one. Names come from the listing made at start-up, never from the URL into the
 * filesystem. See: issue 14, docs/console-api.md.
 */
export function mountApiDocsRoute(deps: ApiDocsRouteDeps): (app: express.Express) => void {
  const documents = apiDocuments(deps.catalog, deps.logger);
  const byName = new Map(documents.map((d) => [d.name, d]));
  const list = documents.map((d) => ({ name: d.name, title: d.title, url: `${API_DOCS_PATH}/openapi/${encodeURIComponent(d.name)}`, origin: d.origin }));
  const html = page(documents);
  const route = (handler: Parameters<typeof mountedRoute>[0]) => mountedRoute(handler, deps.logger);
  return (app) => {
    // Express matches `/docs/` too (non-strict routing).
    app.get(API_DOCS_PATH, route(async () => bytes('text/html; charset=utf-8', html, { 'content-security-policy': API_DOCS_CSP })));
    app.get(`${API_DOCS_PATH}/assets/:file`, route(async (req) => {
      const asset = ASSETS.get(req.params.file ?? '');
      if (!asset) throw new FseError('notFound', 'no such asset');
      return fileResponse(asset.file, asset.contentType, 'the asset');
    }));
    app.get(`${API_DOCS_PATH}/openapi`, route(async () => bytes('application/json', Buffer.from(JSON.stringify(list)))));
    app.get(`${API_DOCS_PATH}/openapi/:name`, route(async (req) => {
      const doc = byName.get(req.params.name ?? '');
      if (!doc) throw new FseError('notFound', 'no such OpenAPI document: GET /docs/openapi lists them');
      return fileResponse(doc.file, doc.contentType, 'the document');
    }));
  };
}
