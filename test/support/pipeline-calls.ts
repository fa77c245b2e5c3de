import assert from 'node:assert/strict';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { sha256Hex } from '../../src/pdf/hashes.js';
import { creationBody as simCreationBody } from '../simulators/sim-fixtures.js';
import { postValidation, samplePdf, type Harness } from './bridge-harness.js';

let submissions = 0;

/** A creation body with a SubmissionSet uniqueId of its own, as producers send. */
export function creationBody(docId: string, extra: Record<string, unknown> = {}): string {
  submissions += 1;
  return simCreationBody(docId, { identificativoSottomissione: `2.16.840.1.113883.2.9.2.120.4.3.${Date.now()}${submissions}`, ...extra });
}

/**
 * Both token headers for a call about `pdf`, with `attachment_hash` its SHA-256 unless `claims` says otherwise.
 * The PDF is not given to the minter, which would overwrite a deliberately wrong hash with the file's.
 */
export async function headersFor(h: Harness, pdf: Uint8Array, claims: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const t = await h.tokens(sampleClaims({ attachment_hash: sha256Hex(pdf), ...claims }));
  return { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature };
}

/** A call to the bridge, multipart when a PDF is given. */
export async function send(h: Harness, method: string, path: string, headers: Record<string, string>, pdf?: Uint8Array, requestBody?: string) {
  let body: FormData | undefined;
  if (pdf) {
    body = new FormData();
    body.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'doc.pdf');
    if (requestBody !== undefined) body.append('requestBody', requestBody);
  }
  const res = await fetch(`${h.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Validates a new sample document (VALIDATION, 201) and returns its PDF, workflow instance id and document id. */
export async function validated(h: Harness, ext: string) {
  const pdf = await samplePdf(buildSampleCda({ docExtension: ext }));
  const v = await postValidation(h, { pdf, requestBody: '{"activity":"VALIDATION","mode":"ATTACHMENT"}', headers: await headersFor(h, pdf) });
  assert.equal(v.status, 201, JSON.stringify(v.body));
  return { pdf, wid: String(v.body.workflowInstanceId), docId: `2.16.840.1.113883.2.9.2.120.4.4^${ext}`, ext };
}
