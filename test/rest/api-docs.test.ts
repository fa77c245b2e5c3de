import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { PROJECT_ROOT } from '../../src/config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { API_DOCS_CSP, mountApiDocsRoute } from '../../src/rest/api-docs-route.js';
import type { ApiDocsCatalog } from '../../src/rest/api-docs-list.js';
import { AUDIT_OPENAPI_FILE, BRIDGE_OPENAPI_FILES, BRIDGE_STATUS_OPENAPI_FILE } from '../../src/rest/bridge-openapi.js';
import { createHttpApp, listen } from '../../src/rest/server.js';
import type { ValidationRouteDeps } from '../../src/rest/validation-route.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';

// Read here only, as the conformance tests do: the national files are compared with the Ministry's own.
const dir = process.env.FSE_CATALOG_DIR ? path.resolve(process.env.FSE_CATALOG_DIR) : undefined;

type Entry = { name: string; title: string; url: string; origin: 'national' | 'bridge' };

/** The docs route on the REST shim alone (the catch-all 404 included), over the given catalog. */
async function serve(catalog: ApiDocsCatalog): Promise<{ base: string; server: Server }> {
  const app = createHttpApp({
    validation: {} as ValidationRouteDeps, logger: silentLogger(), maxUploadBytes: 1024, liveness: {}, metrics: createMetrics(false),
    mount: [mountApiDocsRoute({ catalog, logger: silentLogger() })],
  });
  const server = await listen(app, 0, '127.0.0.1');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A GET with the path sent as written: fetch would resolve `..` before sending it. */
function rawGet(base: string, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path: rawPath }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject).end();
  });
}

const PROJECT_CATALOG: ApiDocsCatalog = { kind: 'project', dir: path.join(PROJECT_ROOT, 'schematron'), version: 'p1' };

describe('/docs without a catalog (a fresh clone)', () => {
  let s: { base: string; server: Server };
  before(async () => { s = await serve(PROJECT_CATALOG); });
  after(() => s.server.close());

  test('the list has the bridge documents only, each served as valid OpenAPI with its content type', async () => {
    const list = (await (await fetch(`${s.base}/docs/openapi`)).json()) as Entry[];
    assert.deepEqual(list.map((e) => e.origin), BRIDGE_OPENAPI_FILES.map(() => 'bridge'));
    assert.deepEqual(list.map((e) => e.name), ['bridge-status.json', 'audit.json', 'citizen.json', 'rights-operator.json', 'console.json']);
    for (const entry of list) {
      const res = await fetch(`${s.base}${entry.url}`);
      assert.equal(res.status, 200, entry.url);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const doc = (await res.json()) as { info: { title: string } };
      assert.equal(entry.title, doc.info.title);
      await SwaggerParser.validate(structuredClone(doc) as never);
    }
  });

  test('the page is HTML under the strict CSP, says the national contract is absent, and loads only its own assets', async () => {
    for (const p of ['/docs', '/docs/']) {
      const res = await fetch(`${s.base}${p}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.headers.get('content-security-policy'), API_DOCS_CSP);
      const html = await res.text();
      assert.match(html, /id="national-note"/);
      assert.doesNotMatch(html, /<script>/, 'no inline script');
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
      assert.deepEqual(assets.filter((a) => !a.startsWith('/docs/assets/')), []);
    }
    const types: Record<string, RegExp> = {
      'swagger-ui-bundle.js': /^text\/javascript/, 'swagger-ui-standalone-preset.js': /^text\/javascript/,
      'swagger-ui.css': /^text\/css/, 'docs-init.js': /^text\/javascript/, 'favicon-32x32.png': /^image\/png$/,
    };
    for (const [file, type] of Object.entries(types)) {
      const res = await fetch(`${s.base}/docs/assets/${file}`);
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type') ?? '', type, file);
      assert.ok((await res.arrayBuffer()).byteLength > 0, file);
    }
    const init = await (await fetch(`${s.base}/docs/assets/docs-init.js`)).text();
    assert.match(init, /\/docs\/openapi/, 'the init script reads the list');
  });

  test('unknown names and traversal attempts are 404 problem+json, never a file', async () => {
    const pkg = readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8');
    for (const p of ['/docs/openapi/nope.json', '/docs/openapi/..%2Fpackage.json', '/docs/openapi/..%2F..%2Fpackage.json', '/docs/openapi/%2E%2E',
      '/docs/assets/../../package.json', '/docs/assets/..%2F..%2Fpackage.json', '/docs/assets/package.json', '/docs/assets/index.html', '/docs/openapi/ui']) {
      const res = await rawGet(s.base, p);
      assert.equal(res.status, 404, p);
      assert.equal(res.type, 'application/problem+json', p);
      assert.notEqual(res.body, pkg, p);
      assert.doesNotMatch(res.body, /"dependencies"/, p);
      assert.equal((JSON.parse(res.body) as { status: number }).status, 404, p);
    }
  });
});

describe('/docs with a catalog of the it-fse-catalogs layout', () => {
  let s: { base: string; server: Server };
  const catalogDir = mkdtempSync(path.join(os.tmpdir(), 'api-docs-catalog-'));
  const gateway = 'openapi: 3.0.1\ninfo:\n  title: "Gateway"  # bytes kept as written\n  version: "1"\npaths: {}\n';
  before(async () => {
    mkdirSync(path.join(catalogDir, 'openapi'));
    writeFileSync(path.join(catalogDir, 'openapi', 'status.yaml'), 'openapi: 3.0.1\n');
    writeFileSync(path.join(catalogDir, 'openapi', 'gateway.yaml'), gateway);
    writeFileSync(path.join(catalogDir, 'openapi', 'notes.txt'), 'not a document');
    s = await serve({ kind: 'official', dir: catalogDir, version: 'v42' });
  });
  after(() => s.server.close());

  test('national documents come first, the Gateway first, titled with the catalog version; other files are not listed', async () => {
    const list = (await (await fetch(`${s.base}/docs/openapi`)).json()) as Entry[];
    assert.deepEqual(list.slice(0, 2).map((e) => [e.name, e.origin]), [['gateway.yaml', 'national'], ['status.yaml', 'national']]);
    assert.equal(list[0]?.title, 'Gateway FSE 2.0 (national contract, catalog v42)');
    assert.equal(list.length, 2 + BRIDGE_OPENAPI_FILES.length);
    assert.ok(!list.some((e) => e.name === 'notes.txt'));
    const html = await (await fetch(`${s.base}/docs`)).text();
    assert.doesNotMatch(html, /id="national-note"/);
  });

  test('a national file is read at request time, byte for byte, as application/yaml', async () => {
    const res = await fetch(`${s.base}/docs/openapi/gateway.yaml`);
    assert.equal(res.headers.get('content-type'), 'application/yaml');
    assert.equal(await res.text(), gateway);
    const changed = `${gateway}# a new catalog release\n`;
    writeFileSync(path.join(catalogDir, 'openapi', 'gateway.yaml'), changed);
    assert.equal(await (await fetch(`${s.base}/docs/openapi/gateway.yaml`)).text(), changed);
  });
});

describe('/docs over the official catalog', { skip: !dir && 'FSE_CATALOG_DIR not set' }, () => {
  let s: { base: string; server: Server };
  before(async () => { s = await serve({ kind: 'official', dir: dir ?? '', version: 'official' }); });
  after(() => s.server.close());

  test("the Ministry's gateway.yaml and status.yaml are served byte-identical", async () => {
    for (const name of ['gateway.yaml', 'status.yaml']) {
      const res = await fetch(`${s.base}/docs/openapi/${name}`);
      assert.equal(res.status, 200, name);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(readFileSync(path.join(dir ?? '', 'openapi', name))), name);
    }
  });
});

type Doc = { servers?: { url: string }[]; paths: Record<string, Record<string, unknown>> };

describe('the bridge routes what its own documents declare', () => {
  let h: Harness;
  before(async () => { h = await startBridge({ FSE_CATALOG_DIR: '' }); });
  after(async () => h?.stop());

  test('each path and method of bridge-status.json and audit.json reaches a route, not the catch-all 404', async () => {
    let checked = 0;
    for (const file of [BRIDGE_STATUS_OPENAPI_FILE, AUDIT_OPENAPI_FILE]) {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
      for (const [p, item] of Object.entries(doc.paths)) {
        const concrete = `${doc.servers?.[0]?.url ?? ''}${p}`.replace(/\{[^}]+\}/g, encodeURIComponent('RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO'));
        for (const method of Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete'].includes(m))) {
          const res = await fetch(`${h.baseUrl}${concrete}`, { method: method.toUpperCase() });
          const body = await res.text();
          assert.doesNotMatch(body, /No endpoint/, `${method} ${concrete}`);
          assert.ok(res.status !== 404, `${method} ${concrete}: ${res.status}`);
          checked += 1;
        }
      }
    }
    assert.equal(checked, 3);
  });

  test('the composed bridge serves /docs with the bridge documents and no national entry', async () => {
    const res = await fetch(`${h.baseUrl}/docs`);
    assert.equal(res.headers.get('content-security-policy'), API_DOCS_CSP);
    const list = (await (await fetch(`${h.baseUrl}/docs/openapi`)).json()) as Entry[];
    assert.deepEqual(list.filter((e) => e.origin === 'national'), []);
    assert.equal(list.length, BRIDGE_OPENAPI_FILES.length);
  });
});
