import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { UniqueId, RepositoryUniqueId } from '../../src/domain/ids.js';
import type { DocumentEntry } from '../../src/domain/xds.js';
import { mintBearerToken } from '../../src/jwt/mint-tokens.js';
import { commonName } from '../../src/jwt/verify-tokens.js';
import { createRepositoryStore } from '../../src/stores/repository-store.js';
import { AUDIENCE, type Harness } from './bridge-harness.js';
import { aDocumentEntry, aSubmission, REPOSITORY } from './xds-builders.js';

/** Persons of the citizen API tests: valid fiscal codes (check letter computed), none of them real. */
export const PEOPLE = {
  patient: 'RSSMRA80A01H501U', delegate: 'BNCMRC75B02F205M', stranger: 'GLLLCU85C03L219K',
  child: 'BNCLRA15A41H501P', parent: 'VRDNNA90E45F205H', operator: 'VRDGPP70A01H501S',
} as const;

export const cx = (cf: string) => `${cf}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`;

/** `auth:<CN>` of the harness's signature certificate: the issuer the tests configure as the region's portal. */
export function portalIssuer(h: Harness): string {
  return `auth:${commonName(new X509Certificate(readFileSync(h.pki.signCert, 'utf8')))}`;
}

/** A Bearer token the way the portal mints one, signed with the harness's certificate (or another PKI's). */
export function citizenToken(h: Harness, claims: Record<string, unknown>, pki = h.pki): Promise<string> {
  return mintBearerToken({
    signerCertPem: readFileSync(pki.signCert, 'utf8'), signerKeyPem: readFileSync(pki.signKey, 'utf8'), claims, audience: AUDIENCE, lifetimeSeconds: 600,
  });
}

export const asPatient = (h: Harness, cf: string = PEOPLE.patient) => citizenToken(h, { sub: cx(cf), subject_role: 'ASS' });
export const actingFor = (h: Harness, agent: string, role: string, patient: string) => citizenToken(h, { sub: cx(agent), subject_role: role, person_id: cx(patient) });
export const asOperator = (h: Harness, purpose = 'CONSENT') => citizenToken(h, { sub: cx(PEOPLE.operator), subject_role: 'OGC', purpose_of_use: purpose, subject_organization_id: '120' });

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
  readonly bytes: Buffer;
}

export async function call(h: Harness, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${h.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  const json = contentType.includes('json') && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) as unknown : undefined;
  return { status: res.status, contentType, body: json, bytes };
}

/** Registers a document straight into the bridge's registry and repository (no Gateway round trip: reads only). */
export async function seedDocument(h: Harness, name: string, over: Partial<DocumentEntry>): Promise<DocumentEntry> {
  const entry = aDocumentEntry({ uniqueId: `2.16.840.1.113883.2.9.2.120.4.4^${name}` as UniqueId, repositoryUniqueId: REPOSITORY as RepositoryUniqueId, eventCodes: [], ...over });
  const bytes = Buffer.from(`%PDF-1.7 bytes of ${name}`);
  const { registry, db } = h.app.resources();
  await registry.registerSubmission(aSubmission([{ entry, bytes }]));
  await createRepositoryStore(db.pool, [REPOSITORY]).putDocument({ repositoryUniqueId: REPOSITORY as RepositoryUniqueId, uniqueId: entry.uniqueId, bytes, mimeType: 'application/pdf' });
  return entry;
}
