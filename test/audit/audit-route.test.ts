import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { createAuditLog, type AuditLog } from '../../src/audit/audit-log.js';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { FseError } from '../../src/errors/fse-error.js';
import { mintGatewayTokens } from '../../src/jwt/mint-tokens.js';
import { loadTrustAnchors } from '../../src/jwt/trust-store.js';
import { commonName } from '../../src/jwt/verify-tokens.js';
import { newTraceContext } from '../../src/logging/context.js';
import { handleAuditAccesses, mountAuditRoute, type AuditRouteDeps } from '../../src/rest/audit-route.js';
import { fiscalCodeOf } from '../../src/domain/ids.js';
import { createTokenVerifier } from '../../src/rest/token-verifier.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { MEF, OTHER_PATIENT, PATIENT, sampleEntry } from './audit-builders.js';

const pki = createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), 'audit-route-')), 'pki'));
const tokens = createTokenVerifier({ trustAnchors: loadTrustAnchors(pki.caCert), clockSkewSeconds: 30, allowSpecialFiscalCodes: false });
const signerCertPem = readFileSync(pki.signCert, 'utf8');
const ISSUER = `auth:${commonName(new X509Certificate(signerCertPem)) ?? ''}`;
const OPERATOR = 'PRVPRT70A01H501X';

async function bearer(sub: string): Promise<{ authorization: string }> {
  const t = await mintGatewayTokens({
    signerCertPem, signerKeyPem: readFileSync(pki.signKey, 'utf8'), claims: { sub },
    audience: 'https://example.invalid/v1', lifetimeSeconds: 300,
  });
  return { authorization: `Bearer ${t.authorization}` };
}

const cx = (cf: string) => `${cf}^^^&${MEF}&ISO`;
type Body = { patientId: string; traceID: string; accesses: Record<string, unknown>[]; nextBefore?: number };

describe('GET /v1/audit/patients/{patientId}/accesses', () => {
  let db: TestSchema;
  let audit: AuditLog;
  let deps: AuditRouteDeps;
  const ctx = newTraceContext();
  const call = async (headers: Record<string, string>, patientId: string, query = {}, d: AuditRouteDeps = deps) =>
    handleAuditAccesses(headers, patientId, query, ctx, d);

  before(async () => {
    db = await createTestSchema();
    audit = createAuditLog(db.pool);
    deps = { tokens, audit, readers: [OPERATOR] };
    await audit.record(sampleEntry({ transaction: 'ITI-18', documentIds: [], purposeOfUse: 'EMERGENCY' }));
    await audit.record(sampleEntry({ patientId: OTHER_PATIENT }));
    await audit.record(sampleEntry({ subjectId: undefined, subjectRole: 'INI', organizationId: '000', organizationName: 'INI', purposeOfUse: undefined }));
  });
  after(() => db.drop());

  test('the citizen reads their own accesses: newest first, in the documented shape, and the read is recorded', async () => {
    const response = await call(await bearer(cx('RSSMRA80A01H501U')), PATIENT);
    assert.equal(response.status, 200);
    const body = response.body as Body;
    assert.equal(body.patientId, PATIENT);
    assert.equal(body.traceID, ctx.traceId);
    assert.equal(body.nextBefore, undefined);
    assert.deepEqual(body.accesses.map((a) => a.transaction), ['ITI-43', 'ITI-18']);
    const [latest, first] = body.accesses;
    assert.deepEqual(Object.keys(latest ?? {}), ['when', 'who', 'transaction', 'direction', 'counterpart', 'documents', 'outcome']);
    assert.deepEqual(latest?.who, { role: 'INI', organizationId: '000', organization: 'INI' });
    assert.deepEqual(first, {
      when: (first?.when as string), who: { subject: cx('VRDGPP70A01H501S'), role: 'AAS', organizationId: '030', organization: 'Regione Lombardia' },
      purposeOfUse: 'EMERGENCY', transaction: 'ITI-18', direction: 'inbound', counterpart: '000', documents: [], outcome: 'Success',
    });
    assert.match(String(first?.when), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const [read] = await audit.listByPatient(PATIENT, { limit: 1 });
    assert.deepEqual([read?.transaction, read?.subjectId, read?.subjectRole, read?.purposeOfUse, read?.outcome, read?.counterpart],
      ['REST-audit-accesses', cx('RSSMRA80A01H501U'), 'ASS', 'PERSONAL', 'Success', ISSUER]);
  });

  test('pages with limit and nextBefore', async () => {
    const headers = await bearer(cx('RSSMRA80A01H501U'));
    const page1 = (await call(headers, PATIENT, { limit: '2' })).body as Body;
    assert.equal(page1.accesses.length, 2);
    assert.equal(typeof page1.nextBefore, 'number');
    const page2 = (await call(headers, PATIENT, { limit: '2', before: String(page1.nextBefore) })).body as Body;
    assert.ok(page2.accesses.length >= 1);
    assert.equal(page2.accesses.at(-1)?.transaction, 'ITI-18', 'the oldest record ends the last page');
    await assert.rejects(call(headers, PATIENT, { limit: '0' }), (e: unknown) => e instanceof FseError && e.code === 'invalidFormat');
    await assert.rejects(call(headers, PATIENT, { limit: '501' }), (e: unknown) => e instanceof FseError && e.code === 'invalidFormat');
    await assert.rejects(call(headers, PATIENT, { before: '-1' }), (e: unknown) => e instanceof FseError && e.code === 'invalidFormat');
  });

  test("another person's accesses: 403, and the refused attempt is recorded in the patient's log", async () => {
    await assert.rejects(call(await bearer(cx('BNCLRA85M41F205X')), PATIENT), (e: unknown) => e instanceof FseError && e.code === 'forbidden');
    const [attempt] = await audit.listByPatient(PATIENT, { limit: 1 });
    assert.deepEqual([attempt?.subjectId, attempt?.outcome, attempt?.errorCodes, attempt?.subjectRole], [cx('BNCLRA85M41F205X'), 'Failure', ['forbidden'], undefined]);
  });

  test('a configured reader reads any patient; a same code under another assigning authority is not the patient', async () => {
    const operator = await call(await bearer(cx(OPERATOR)), OTHER_PATIENT);
    assert.equal(operator.status, 200);
    assert.deepEqual((operator.body as Body).accesses.map((a) => a.transaction), ['ITI-43']);
    await assert.rejects(call(await bearer('RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.2.120.4.1&ISO'), PATIENT),
      (e: unknown) => e instanceof FseError && e.code === 'forbidden');
  });

  test('a configured issuer list refuses tokens of other systems, even with the patient as sub', async () => {
    const own = await bearer(cx('RSSMRA80A01H501U'));
    assert.equal((await call(own, PATIENT, {}, { ...deps, issuers: [ISSUER] })).status, 200);
    await assert.rejects(call(own, PATIENT, {}, { ...deps, issuers: ['auth:citizen-portal'] }), (e: unknown) => e instanceof FseError && e.code === 'forbidden');
  });

  test('a malformed patient id: 400; no token or a forged one: 401 from the token verifier', async () => {
    const headers = await bearer(cx('RSSMRA80A01H501U'));
    for (const bad of ['RSSMRA80A01H501U', 'RSSMRA80A01H501U^^^&notanoid&ISO', '']) {
      await assert.rejects(call(headers, bad), (e: unknown) => e instanceof FseError && e.code === 'invalidFormat');
    }
    await assert.rejects(call({}, PATIENT), (e: unknown) => e instanceof FseError && e.code === 'tokenAuthentication');
    const forged = `${headers.authorization.slice(0, -4)}AAAA`;
    await assert.rejects(call({ authorization: forged }, PATIENT), (e: unknown) => e instanceof FseError && e.code === 'tokenAuthentication');
  });

  test('fiscalCodeOf reads MEF CX and bare codes only', () => {
    assert.equal(fiscalCodeOf(cx('rssmra80a01h501u')), 'RSSMRA80A01H501U');
    assert.equal(fiscalCodeOf('RSSMRA80A01H501U'), 'RSSMRA80A01H501U');
    assert.equal(fiscalCodeOf('X^^^&2.16.840.1.113883.2.9.2.120&ISO'), undefined);
    assert.equal(fiscalCodeOf('^^^&2.16.840.1.113883.2.9.4.3.2&ISO'), undefined);
    assert.equal(fiscalCodeOf(undefined), undefined);
  });

  describe('mounted on an express app', () => {
    let server: Server;
    let base: string;
    before(async () => {
      const app = express();
      mountAuditRoute(deps)(app);
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const url = (patientId: string, query = '') => `${base}/v1/audit/patients/${encodeURIComponent(patientId)}/accesses${query}`;

    test('the URL-encoded CX is decoded; 200 JSON for the citizen', async () => {
      const res = await fetch(url(PATIENT, '?limit=1'), { headers: await bearer(cx('RSSMRA80A01H501U')) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const body = await res.json() as Body;
      assert.equal(body.patientId, PATIENT);
      assert.equal(body.accesses.length, 1);
      assert.equal(typeof body.nextBefore, 'number');
    });

    test('403, 400 and 401 as problem+json', async () => {
      const forbidden = await fetch(url(PATIENT), { headers: await bearer(cx('BNCLRA85M41F205X')) });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.headers.get('content-type'), 'application/problem+json');
      const problem = await forbidden.json() as Record<string, unknown>;
      assert.deepEqual([problem.status, problem.title, problem.type], [403, 'Forbidden', 'about:blank']);

      const malformed = await fetch(url('not-a-cx'), { headers: await bearer(cx('RSSMRA80A01H501U')) });
      assert.equal(malformed.status, 400);
      assert.equal((await malformed.json() as Record<string, unknown>).type, '/msg/invalid-format');

      const anonymous = await fetch(url(PATIENT));
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /);
    });
  });
});
