import { decodeAdhocQueryRequest } from '../../ebxml/adhoc-query-request.js';
import { encodeAdhocQueryResponse } from '../../ebxml/adhoc-query-response.js';
import { emptyResult, type QueryResult, type StoredQuery } from '../../domain/stored-query.js';
import { registryError, type RegistryError } from '../../errors/xds-codes.js';
import { relayAssertion, signTemplate } from './ini-assertions.js';
import type { IniHandlerDeps } from './forward-writes.js';
import { relayedErrors } from './ini-replies.js';
import type { IniHandler, IniReply } from './ini-soap-router.js';
import { queryRegion } from './region-calls.js';
import { regionOfOid, type RegionDirectory } from './region-directory.js';
import { answerFromIndex } from './index-queries.js';
import type { ResponseStatus } from '../../domain/registry-response.js';
import type { IniIndexView } from './ini-index-view.js';

/**
 * ITI-18 on INI (both the registry and the "recupero riferimento" services): id-based queries are answered from INI's
 * index (index-queries.ts); patient-scoped ones (FindDocuments, FindDocumentsByReferenceId, FindSubmissionSets,
 * FindFolders, GetAll) go to the patient's RDA with INI's relay assertion, and its answer is relayed; other id-based
 * queries the index cannot answer go to the region whose uniqueId root names it. A patient INI knows no RDA for, or
 * an id naming no region, is answered Success with an empty list (IHE: no match is not an error; real INI may answer
 * `No results from the query` instead). See: xds-ini digest 1.4 E, 4.4, 5.1, 5.3.
 */

export type QueryRoute =
  | { readonly kind: 'index'; readonly result: QueryResult }
  | { readonly kind: 'region'; readonly code: string }
  | { readonly kind: 'empty' };

/** The uniqueId an id-based query names, for routing by its root. */
function uniqueIdOf(query: StoredQuery): string | undefined {
  switch (query.type) {
    case 'GetDocuments':
    case 'GetDocumentsAndAssociations':
      return 'uniqueIds' in query.documents ? query.documents.uniqueIds[0] : undefined;
    case 'GetFolders':
      return 'uniqueIds' in query.folders ? query.folders.uniqueIds[0] : undefined;
    case 'GetSubmissionSetAndContents':
      return 'uniqueId' in query.submissionSet ? query.submissionSet.uniqueId : undefined;
    case 'GetFolderAndContents':
      return 'uniqueId' in query.folder ? query.folder.uniqueId : undefined;
    case 'GetFoldersForDocument':
    case 'GetRelatedDocuments':
      return 'uniqueId' in query.document ? query.document.uniqueId : undefined;
    case 'FindDocuments':
    case 'FindDocumentsByReferenceId':
    case 'FindSubmissionSets':
    case 'FindFolders':
    case 'GetAll':
    case 'GetAssociations':
    case 'GetSubmissionSets':
      return undefined;
  }
}

const PATIENT_SCOPED: ReadonlySet<StoredQuery['type']> = new Set(['FindDocuments', 'FindDocumentsByReferenceId', 'FindSubmissionSets', 'FindFolders', 'GetAll']);

/** Where a query is answered. */
export function routeQuery(query: StoredQuery, returnType: 'LeafClass' | 'ObjectRef', index: IniIndexView, regions: RegionDirectory): QueryRoute {
  if ('patientId' in query && PATIENT_SCOPED.has(query.type)) {
    const code = regions.rdaOf(query.patientId);
    return code === undefined ? { kind: 'empty' } : { kind: 'region', code };
  }
  const result = answerFromIndex(query, returnType, index);
  if (result) return { kind: 'index', result };
  const uniqueId = uniqueIdOf(query);
  const code = uniqueId === undefined ? undefined : regionOfOid(uniqueId);
  return code === undefined ? { kind: 'empty' } : { kind: 'region', code };
}

function queryReply(status: ResponseStatus, errors: readonly RegistryError[], result: QueryResult): IniReply {
  return { status, body: (parent) => void encodeAdhocQueryResponse({ status, errors, result }, parent) };
}

export function iti18Query(deps: IniHandlerDeps): IniHandler {
  return async (call) => {
    const request = decodeAdhocQueryRequest(call.envelope.body);
    const route = routeQuery(request.query, request.returnType, deps.index, deps.regions);
    const empty = emptyResult(request.returnType);
    if (route.kind === 'index') return queryReply('Success', [], route.result);
    if (route.kind === 'empty') return queryReply('Success', [], empty);
    const region = deps.regions.region(route.code);
    if (!region) {
      return queryReply('Failure', [registryError('XDSRegistryError', `region ${route.code} has no registry endpoint known to INI`)], empty);
    }
    try {
      const answer = await queryRegion(deps.caller, region.registryUrl, request, signTemplate(relayAssertion(call.saml), deps.signer));
      return queryReply(answer.status, relayedErrors(answer.errors), answer.result);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return queryReply('Failure', [registryError('XDSRegistryNotAvailable', `the registry of region ${route.code} could not be reached: ${why}`)], empty);
    }
  };
}
