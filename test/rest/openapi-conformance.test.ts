import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import { SAMPLE_PATIENT_CF } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { withXml } from '../../src/xml/xml-toolkit.js';
import { authHeaders, postValidation, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { corpusDir, needsCatalog, officialCatalogDir } from '../support/shared.js';

type Operation = { responses: Record<string, { content: Record<string, { schema: object }> }> };

/** The official LAB sample with our test patient, so the JWT's person_id matches (mutated in memory only). */
function labSample(): string {
  const text = readFileSync(path.join(corpusDir ?? '', 'ok', 'LAB_CT1_OK.xml'), 'utf8');
  return withXml(text, (doc) => {
    const id = doc.get('/hl7:ClinicalDocument/hl7:recordTarget/hl7:patientRole/hl7:id', { hl7: 'urn:hl7-org:v3' });
    const ext = id && 'attr' in id ? (id as { attr(n: string): { value: string } | null }).attr('extension') : null;
    if (ext) ext.value = SAMPLE_PATIENT_CF;
    return doc.toString();
  });
}

describe('responses validate against the official Gateway OpenAPI', needsCatalog, () => {
  let h: Harness;
  let operation: Operation;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', true).addFormat('int64', true).addFormat('binary', true);

  before(async () => {
    const api = (await SwaggerParser.dereference(path.join(officialCatalogDir ?? '', 'openapi', 'gateway.yaml'))) as unknown as {
      paths: Record<string, Record<string, Operation>>;
    };
    operation = api.paths['/documents/validation']?.post as Operation;
    h = await startBridge({ FSE_CATALOG_DIR: officialCatalogDir ?? '' });
  });
  after(async () => h?.stop());

  function check(status: number, contentType: string | null, body: unknown): void {
    const media = operation.responses[String(status)]?.content;
    assert.ok(media, `status ${status} is not declared for /documents/validation`);
    const type = contentType?.split(';')[0] ?? '';
    const schema = media[type]?.schema;
    assert.ok(schema, `content type ${type} is not declared for status ${status}`);
    const validateFn: ValidateFunction = ajv.compile(schema);
    assert.ok(validateFn(body), `${status} body does not match: ${ajv.errorsText(validateFn.errors)}`);
  }

  const lab = "('11502-2^^2.16.840.1.113883.6.1')";
  const cases: [string, () => Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>, number][] = [
    ['201 VALIDATION', async () => postValidation(h, { pdf: await samplePdf(labSample()), requestBody: '{"activity":"VALIDATION","mode":"ATTACHMENT"}', headers: await authHeaders(h, sampleClaims({ resource_hl7_type: lab })) }), 201],
    ['200 VERIFICA with warning', async () => postValidation(h, { pdf: await samplePdf(labSample()), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h, sampleClaims({ resource_hl7_type: lab })) }), 200],
    ['400 request body', async () => postValidation(h, { pdf: await samplePdf(labSample()), requestBody: '{"x":1}', headers: await authHeaders(h, sampleClaims({ resource_hl7_type: lab })) }), 400],
    ['401 forged token', async () => {
      const headers = await authHeaders(h, sampleClaims({ resource_hl7_type: lab }));
      headers['FSE-JWT-Signature'] = `${headers['FSE-JWT-Signature']?.slice(0, -8)}AAAAAAAA`;
      return postValidation(h, { pdf: await samplePdf(labSample()), requestBody: '{"activity":"VERIFICA"}', headers });
    }, 401],
    ['403 claims vs CDA', async () => postValidation(h, { pdf: await samplePdf(labSample()), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h) }), 403],
    ['415 not a PDF', async () => postValidation(h, { pdf: Buffer.from(labSample()), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h, sampleClaims({ resource_hl7_type: lab })) }), 415],
    ['422 semantic', async () => postValidation(h, { pdf: await samplePdf(labSample().replace('<realmCode code="IT"/>', '')), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h, sampleClaims({ resource_hl7_type: lab })) }), 422],
    ['413 too large', async () => postValidation(h, { pdf: new Uint8Array(6 * 1024 * 1024), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h) }), 413],
  ];
  for (const [name, call, expected] of cases) {
    test(name, async () => {
      const res = await call();
      assert.equal(res.status, expected, JSON.stringify(res.body));
      check(res.status, res.headers.get('content-type'), res.body);
    });
  }
});
