import { readFileSync } from 'node:fs';
import { FISCAL_CODE_OID, type PatientId, type RepositoryUniqueId, type UniqueId } from '../domain/ids.js';
import type { QueryReturnType } from '../domain/stored-query.js';
import { encodeAdhocQueryRequest } from '../ebxml/adhoc-query-request.js';
import { decodeAdhocQueryResponse, type DecodedAdhocQueryResponse } from '../ebxml/adhoc-query-response.js';
import { decodeRetrieveResponse, encodeRetrieveRequest, type DecodedRetrieveResponse } from '../ebxml/retrieve-document-set.js';
import { buildSampleCda, SAMPLE_PATIENT_CF } from '../dev/sample-cda.js';
import { sampleClaims, samplePublicationBody } from '../dev/sample-claims.js';
import { readResponseBody, createSoapCaller, type SoapCaller } from '../soap-wire/soap-client.js';
import { mintGatewayTokens } from '../jwt/mint-tokens.js';
import { valueSets } from '../mappings/value-sets.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import { createSamplePdf, injectCda } from '../pdf/pdf-inject.js';
import { sha256Hex } from '../pdf/hashes.js';
import type { AssertionAttributeValues } from '../saml/assertion-builder.js';
import { buildSignedAssertion } from '../saml/assertion-signer.js';
import type { RegionNode } from './federation-topology.js';

/**
 * One region's bridge as its users call it: a hospital's producer publishing, replacing and deleting over the REST
 * door (JWTs from the region's PKI, the sample LDO of `src/dev`), and a hospital doctor querying (ITI-18) and
 * retrieving (ITI-43) over SOAP with a SAML assertion its hospital signs. Used by the two-region demo, tests and bench.
 */

export const DEMO_PATIENT = `${SAMPLE_PATIENT_CF}^^^&${FISCAL_CODE_OID}&ISO` as PatientId;
const AUDIENCE = 'https://modipa-val.fse.salute.gov.it/govway/rest/in/FSE/gateway/v1';
const DOCTOR = `VRDGPP70A01H501S^^^&${FISCAL_CODE_OID}&ISO`;

export interface RestAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface RegionClient {
  /** The region's document uniqueId for an extension: `2.16.840.1.113883.2.9.2.<reg>.4.4^<ext>`. */
  documentId(ext: string): string;
  readonly repositoryUniqueId: string;
  /** validate-and-create of a new sample LDO; answers the bridge's JSON. */
  publish(ext: string): Promise<RestAnswer>;
  /** validate-and-replace of `oldId` by a new sample LDO with extension `ext`. */
  replace(oldId: string, ext: string): Promise<RestAnswer>;
  remove(documentId: string): Promise<RestAnswer>;
  /** `GET /v1/status/{workflowInstanceId}`: the operation's events, the bridge's and the Gateway's. */
  status(workflowInstanceId: string): Promise<RestAnswer>;
  /** FindDocuments (Approved) for the patient, as a doctor of the region with consent. */
  findDocuments(patientId?: PatientId, returnType?: QueryReturnType, attributes?: Partial<AssertionAttributeValues>): Promise<DecodedAdhocQueryResponse>;
  retrieve(documentUniqueId: string, repositoryUniqueId: string, attributes?: Partial<AssertionAttributeValues>): Promise<DecodedRetrieveResponse>;
  close(): Promise<void>;
}

export function regionClient(node: RegionNode, options: { readonly caller?: SoapCaller; readonly timeoutMs?: number } = {}): RegionClient {
  const caller = options.caller ?? createSoapCaller({ timeoutMs: options.timeoutMs ?? 30_000 });
  const region = Number(node.code);
  const organization = valueSets().organizations.find((o) => o.code === node.code)?.description ?? node.code;
  const signerCertPem = readFileSync(node.pki.signCert, 'utf8');
  const signerKeyPem = readFileSync(node.pki.signKey, 'utf8');
  const claims = (pdf: Uint8Array | undefined, overrides: Record<string, unknown>) => sampleClaims({
    subject_organization_id: node.code, subject_organization: organization,
    locality: `OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^${node.code}901`,
    ...(pdf ? { attachment_hash: sha256Hex(pdf) } : {}), ...overrides,
  });
  const headers = async (pdf: Uint8Array | undefined, overrides: Record<string, unknown> = {}) => {
    const t = await mintGatewayTokens({ signerCertPem, signerKeyPem, claims: claims(pdf, overrides), audience: AUDIENCE, lifetimeSeconds: 600 });
    return { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature };
  };
  const documentId = (ext: string) => `2.16.840.1.113883.2.9.2.${region}.4.4^${ext}`;
  const repositoryUniqueId = node.config.region.repositoryUniqueId;
  let submissions = 0;
  const send = async (method: string, path: string, ext: string | undefined, tokenClaims: Record<string, unknown> = {}): Promise<RestAnswer> => {
    let body: FormData | undefined;
    let pdf: Uint8Array | undefined;
    if (ext !== undefined) {
      pdf = await injectCda(await createSamplePdf(`Lettera di dimissione ${ext}`), Buffer.from(buildSampleCda({ docExtension: ext, regionCode: node.code }), 'utf8'));
      submissions += 1;
      body = new FormData();
      body.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'ldo.pdf');
      body.append('requestBody', JSON.stringify({
        ...samplePublicationBody(ext), identificativoDoc: documentId(ext), identificativoRep: repositoryUniqueId,
        identificativoSottomissione: `2.16.840.1.113883.2.9.2.${region}.4.3.${Date.now()}${submissions}`,
      }));
    }
    const res = await fetch(`${node.baseUrl}${path}`, { method, headers: await headers(pdf, tokenClaims), body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const assertion = (patientId: string, attributes: Partial<AssertionAttributeValues>) => {
    const values: AssertionAttributeValues = {
      patientConsent: true, role: 'AAS', subjectId: DOCTOR, locality: `OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^${node.code}901`,
      purposeOfUse: 'TREATMENT', organizationId: node.code, organization, resourceId: patientId, actionId: 'READ',
      applicationId: 'HIS', applicationVendor: 'HIS VENDOR', applicationVersion: '1.0', ...attributes,
    };
    return buildSignedAssertion({ issuer: node.code, subjectNameId: values.subjectId ?? DOCTOR, attributes: values }, node.hospital).xml;
  };
  return {
    documentId,
    repositoryUniqueId,
    publish: (ext) => send('POST', '/v1/documents/validate-and-create', ext),
    replace: (oldId, ext) => send('PUT', `/v1/documents/validate-and-replace/${encodeURIComponent(oldId)}`, ext, { action_id: 'UPDATE' }),
    remove: (id) => send('DELETE', `/v1/documents/${encodeURIComponent(id)}`, undefined, { action_id: 'DELETE', purpose_of_use: 'UPDATE', resource_hl7_type: undefined }),
    async status(workflowInstanceId) {
      const res = await fetch(`${node.baseUrl}/v1/status/${encodeURIComponent(workflowInstanceId)}`, { headers: { Authorization: (await headers(undefined)).Authorization } });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    },
    async findDocuments(patientId = DEMO_PATIENT, returnType = 'LeafClass', attributes = {}) {
      const request = { returnType, query: { type: 'FindDocuments' as const, patientId, statuses: ['Approved' as const] } };
      const res = await caller.call({
        url: node.registryUrl, action: SOAP_ACTION.iti18, assertionXml: assertion(patientId, attributes),
        body: (parent) => void encodeAdhocQueryRequest(request, parent),
      });
      return readResponseBody(res, (el) => decodeAdhocQueryResponse(el, returnType));
    },
    async retrieve(documentUniqueId, repository, attributes = {}) {
      const requests = [{ repositoryUniqueId: repository as RepositoryUniqueId, documentUniqueId: documentUniqueId as UniqueId }];
      const res = await caller.call({
        url: node.repositoryUrl, action: SOAP_ACTION.iti43, assertionXml: assertion(String(attributes.resourceId ?? DEMO_PATIENT), attributes),
        body: (parent) => encodeRetrieveRequest(requests, parent),
      });
      return readResponseBody(res, (el) => decodeRetrieveResponse(el, res.parts));
    },
    close: async () => {
      if (!options.caller) await caller.close();
    },
  };
}
