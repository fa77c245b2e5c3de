import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDevPki } from '../../src/certs/dev-ca.js';
import type { PatientId } from '../../src/domain/ids.js';
import type { DocumentEntry } from '../../src/domain/xds.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { actingFor, asPatient, call, citizenToken, cx, PEOPLE, portalIssuer, seedDocument } from '../support/citizen-calls.js';
import { assertDeclared } from '../support/citizen-openapi.js';

/**
 * The citizen API's reads, on a real bridge: which documents a citizen's portal lists and fetches, through the one
 * access decision, and how it refuses a token it cannot trust. Every answer is checked against the served OpenAPI
 * document. See: docs/privacy.md (the citizen API); privacy digest 4.
 */
const event = (code: string) => ({ code, scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' });
const type = (code: string, display: string) => ({ code, scheme: '2.16.840.1.113883.6.1', display });
type Listed = { documents: { uniqueId: string; obscured: boolean; type: { code: string }; date?: string; authorOrganization?: string }[] };

describe('the citizen API: documents and content', () => {
  let h: Harness;
  const docs: Record<string, DocumentEntry> = {};
  const ids = (a: { body: unknown }) => (a.body as Listed).documents.map((d) => d.uniqueId);

  before(async () => {
    h = await startBridge({ FSE_CITIZEN_ISSUERS: 'auth:S1#120201234567XX' });
    assert.equal(portalIssuer(h), 'auth:S1#120201234567XX');
    docs.old = await seedDocument(h, 'OLD', { creationTime: '20230101080000' });
    docs.newest = await seedDocument(h, 'NEWEST', { creationTime: '20260301080000', typeCode: type('57833-6', 'Prescrizione farmaceutica') });
    docs.obscured = await seedDocument(h, 'OBSCURED', { creationTime: '20250101080000', eventCodes: [event('P99')] });
    docs.notForPatient = await seedDocument(h, 'P98', { creationTime: '20250601080000', eventCodes: [event('P98')] });
    docs.other = await seedDocument(h, 'OTHER', { patientId: cx(PEOPLE.stranger) as PatientId });
  });
  after(async () => h?.stop());

  test('the patient lists their own documents, newest first, obscured ones flagged, P98 and other patients\' absent', async () => {
    const answer = await call(h, 'GET', '/v1/citizen/documents', await asPatient(h));
    assert.equal(answer.status, 200);
    await assertDeclared('GET', '/documents', answer);
    assert.deepEqual(ids(answer), [docs.newest, docs.obscured, docs.old].map((d) => d!.uniqueId));
    const listed = (answer.body as Listed).documents;
    assert.deepEqual(listed.map((d) => d.obscured), [false, true, false]);
    assert.equal(listed[0]?.type.code, '57833-6');
    assert.equal(listed[0]?.date, '2026-03-01T08:00:00Z');
  });

  test('?patient must be the token\'s patient', async () => {
    const own = await call(h, 'GET', `/v1/citizen/documents?patient=${PEOPLE.patient}`, await asPatient(h));
    assert.equal(own.status, 200);
    const other = await call(h, 'GET', `/v1/citizen/documents?patient=${PEOPLE.stranger}`, await asPatient(h));
    assert.equal(other.status, 403);
    await assertDeclared('GET', '/documents', other);
  });

  test('content: the bytes of an own document; a hidden, another patient\'s and a missing one get the same 404', async () => {
    const token = await asPatient(h);
    const ok = await call(h, 'GET', `/v1/citizen/documents/${encodeURIComponent(docs.old!.uniqueId)}/content`, token);
    assert.equal(ok.status, 200);
    assert.equal(ok.contentType, 'application/pdf');
    assert.equal(ok.bytes.toString(), '%PDF-1.7 bytes of OLD');
    await assertDeclared('GET', '/documents/{uniqueId}/content', ok);
    const details = new Set<string>();
    for (const id of [docs.notForPatient!.uniqueId, docs.other!.uniqueId, '2.16.840.1.113883.2.9.2.120.4.4^NOPE', 'not an id']) {
      const answer = await call(h, 'GET', `/v1/citizen/documents/${encodeURIComponent(id)}/content`, token);
      assert.equal(answer.status, 404, id);
      await assertDeclared('GET', '/documents/{uniqueId}/content', answer);
      details.add((answer.body as { detail: string }).detail);
    }
    assert.equal(details.size, 1, 'one text for every document the requester may not see');
  });

  test('a delegate without a delegation is refused, and the refusal is in the patient\'s access log', async () => {
    const answer = await call(h, 'GET', '/v1/citizen/documents', await actingFor(h, PEOPLE.delegate, 'ING', PEOPLE.patient));
    assert.equal(answer.status, 403);
    const log = await call(h, 'GET', `/v1/audit/patients/${encodeURIComponent(cx(PEOPLE.patient))}/accesses`, await asPatient(h));
    assert.equal(log.status, 200);
    const accesses = (log.body as { accesses: { who: { subject?: string; onBehalfOf?: string }; outcome: string; transaction: string }[] }).accesses;
    const refused = accesses.find((a) => a.who.subject === cx(PEOPLE.delegate));
    assert.ok(refused, 'the delegate\'s attempt is logged');
    assert.equal(refused.outcome, 'Failure');
    assert.equal(refused.who.onBehalfOf, cx(PEOPLE.patient));
  });

  test('tokens it cannot trust: none, forged, another CA, an issuer the region did not list, a role that is no citizen\'s', async () => {
    const missing = await call(h, 'GET', '/v1/citizen/documents');
    assert.equal(missing.status, 401);
    await assertDeclared('GET', '/documents', missing);
    const forged = `${(await asPatient(h)).slice(0, -6)}AAAAAA`;
    assert.equal((await call(h, 'GET', '/v1/citizen/documents', forged)).status, 401);

    const foreign = createDevPki(mkdtempSync(path.join(os.tmpdir(), 'foreign-pki-')));
    assert.equal((await call(h, 'GET', '/v1/citizen/documents', await citizenToken(h, { sub: cx(PEOPLE.patient), subject_role: 'ASS' }, foreign))).status, 401);

    // The same CA, another system's certificate: a hospital may not mint citizens' tokens.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hospital-pki-'));
    copyFileSync(h.pki.caCert, path.join(dir, 'ca.pem'));
    copyFileSync(h.pki.caKey, path.join(dir, 'ca-key.pem'));
    const hospital = createDevPki(dir, { cn: 'S1#120209999999XX' });
    const other = await call(h, 'GET', '/v1/citizen/documents', await citizenToken(h, { sub: cx(PEOPLE.patient), subject_role: 'ASS' }, hospital));
    assert.equal(other.status, 403);
    assert.match((other.body as { detail: string }).detail, /FSE_CITIZEN_ISSUERS/);

    const doctor = await call(h, 'GET', '/v1/citizen/documents', await citizenToken(h, { sub: cx(PEOPLE.patient), subject_role: 'APR' }));
    assert.equal(doctor.status, 403);
    const noPatient = await call(h, 'GET', '/v1/citizen/documents', await citizenToken(h, { sub: cx(PEOPLE.delegate), subject_role: 'ING' }));
    assert.equal(noPatient.status, 401);
    const badSub = await call(h, 'GET', '/v1/citizen/documents', await citizenToken(h, { sub: 'RSSMRA80A01H501X', subject_role: 'ASS' }));
    assert.equal(badSub.status, 401);
  });

  test('the OpenAPI document is served', async () => {
    const answer = await call(h, 'GET', '/v1/citizen/openapi.json');
    assert.equal(answer.status, 200);
    assert.equal((answer.body as { openapi: string }).openapi, '3.0.3');
  });
});
