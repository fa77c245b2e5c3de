import type { PublicationRequest } from '../../domain/publication-request.js';
import type { RegistryAction } from '../../domain/registry-action.js';
import { buildSubmission } from '../../metadata/build-submission.js';
import { readCdaMetadata } from '../../metadata/cda-metadata.js';
import { extractCda } from '../../pdf/cda-extractor.js';
import { sha1Hex } from '../../pdf/hashes.js';
import { withXml } from '../../xml/xml-toolkit.js';
import type { SubmitDeps, SubmitOutcome } from '../submit-operation.js';
import { operationIdOf, submitToGateway, type CallMetadata, type GatewayCall, type GatewayRoute } from './gateway-call.js';

/**
 * What the four publication operations (create, replace, validate-and-create, validate-and-replace) share: one PDF,
 * its `requestBody`, and the submission the registry records once the Gateway takes it, built here once when the call
 * is submitted. See: Gateway API digest 3.3, 3.4, 3.7, 3.8, 8.2; xds-ini digest 4.1, 4.2.
 */

/**
 * What the registry records of a publication: the SOAP producer's own ebRIM, or the REST body as the front door
 * decoded it, from which the metadata is built as the Gateway builds it for INI (with the JWT claims and the CDA).
 */
export type PublicationMetadata = CallMetadata<PublicationRequest>;

/** A creation (create, validate-and-create). */
export interface PublicationCall extends GatewayCall {
  /** The signed PDF, forwarded byte for byte. */
  readonly pdf: Uint8Array;
  /** The `requestBody` JSON, forwarded unchanged. */
  readonly requestBody: string;
  readonly metadata: PublicationMetadata;
}

/** A replacement (replace, validate-and-replace): the path names the document replaced. */
export interface ReplacementCall extends PublicationCall {
  readonly targetId: string;
}

/** The parts of a publication that identify it (see `business-key.ts`): no SubmissionSet, no token, no body. */
export type PublicationKeyParts = Pick<ReplacementCall, 'documentId' | 'pdf'> & { readonly targetId?: string };

/** The operation id of a publication on a route. */
export function publicationId(route: GatewayRoute, call: PublicationKeyParts): string {
  return operationIdOf(route, { documentId: call.documentId, targetId: call.targetId, pdf: call.pdf });
}

/**
 * The registry change of a publication. A body the bridge cannot decode, or a PDF whose CDA or metadata it cannot
 * read, leaves nothing to record: the call still goes to the Gateway, which answers the error. `replacing` is the
 * document a REST replace names; an ebRIM submission carries its own RPLC.
 */
export async function publicationAction(call: PublicationCall, replacing: string | undefined, now = new Date()): Promise<RegistryAction> {
  if (call.metadata.kind === 'ebrim') return { kind: 'register', submission: call.metadata.submission };
  if (!call.metadata.body.ok) return { kind: 'unreadable', reason: call.metadata.body.reason };
  const body = call.metadata.body.value;
  try {
    const extracted = await extractCda(call.pdf, body.mode);
    const cda = withXml(extracted.cdaText, readCdaMetadata);
    const submission = buildSubmission({ body, claims: call.claims, cda, pdf: { sha1: sha1Hex(call.pdf), size: call.pdf.length }, now });
    return { kind: 'register', submission, ...(replacing === undefined ? {} : { replacing }) };
  } catch (err) {
    return { kind: 'unreadable', reason: String(err) };
  }
}

/** Submits a publication on its route, with the registry change built once. */
export async function submitPublication(route: GatewayRoute, call: PublicationCall & { readonly targetId?: string }, deps: SubmitDeps): Promise<SubmitOutcome> {
  return submitToGateway(route, { ...call, registryAction: await publicationAction(call, call.targetId) }, deps);
}
