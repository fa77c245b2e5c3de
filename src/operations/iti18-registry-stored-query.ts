import type { Queryable } from '../db/pool.js';
import { emptyResult, type QueryResult, type StoredQuery, type StoredQueryRequest } from '../domain/stored-query.js';
import { isXdsError, type RegistryError } from '../errors/xds-codes.js';
import { findDocumentsByReferenceId } from '../stores/stored-queries/find-documents-by-reference-id.js';
import { findDocuments } from '../stores/stored-queries/find-documents.js';
import { findFolders } from '../stores/stored-queries/find-folders.js';
import { findSubmissionSets } from '../stores/stored-queries/find-submission-sets.js';
import { getAll } from '../stores/stored-queries/get-all.js';
import { getAssociations } from '../stores/stored-queries/get-associations.js';
import { getDocumentsAndAssociations } from '../stores/stored-queries/get-documents-and-associations.js';
import { getDocuments } from '../stores/stored-queries/get-documents.js';
import { getFolderAndContents } from '../stores/stored-queries/get-folder-and-contents.js';
import { getFoldersForDocument } from '../stores/stored-queries/get-folders-for-document.js';
import { getFolders } from '../stores/stored-queries/get-folders.js';
import { getRelatedDocuments } from '../stores/stored-queries/get-related-documents.js';
import { getSubmissionSetAndContents } from '../stores/stored-queries/get-submission-set-and-contents.js';
import { getSubmissionSets } from '../stores/stored-queries/get-submission-sets.js';
import type { QueryOptions, QueryOutcome } from '../stores/stored-queries/query-outcome.js';
import type { ResponseStatus } from '../domain/registry-response.js';

/**
 * ITI-18 Registry Stored Query, transport-neutral: a decoded request in, the response's status, errors and result
 * out. No SOAP and no HTTP here; the SOAP adapter decodes the AdhocQueryRequest and encodes what this returns.
 * See: IHE ITI TF-2a 3.18.4.1.3; xds-ini digest 4.4, 5, 9.
 */
export interface RegistryStoredQueryDeps {
  readonly pool: Queryable;
  /** The most LeafClass objects one response carries; more is XDSTooManyResults. */
  readonly maxLeafClassResults: number;
  /** The same for ObjectRef responses, usually much larger. */
  readonly maxObjectRefResults: number;
}

export interface RegistryStoredQueryResponse {
  status: ResponseStatus;
  errors: RegistryError[];
  result: QueryResult;
}

function runQuery(q: Queryable, query: StoredQuery, options: QueryOptions): Promise<QueryOutcome> {
  switch (query.type) {
    case 'FindDocuments': return findDocuments(q, query, options);
    case 'FindDocumentsByReferenceId': return findDocumentsByReferenceId(q, query, options);
    case 'FindSubmissionSets': return findSubmissionSets(q, query, options);
    case 'FindFolders': return findFolders(q, query, options);
    case 'GetAll': return getAll(q, query, options);
    case 'GetDocuments': return getDocuments(q, query, options);
    case 'GetFolders': return getFolders(q, query, options);
    case 'GetAssociations': return getAssociations(q, query, options);
    case 'GetDocumentsAndAssociations': return getDocumentsAndAssociations(q, query, options);
    case 'GetSubmissionSets': return getSubmissionSets(q, query, options);
    case 'GetSubmissionSetAndContents': return getSubmissionSetAndContents(q, query, options);
    case 'GetFolderAndContents': return getFolderAndContents(q, query, options);
    case 'GetFoldersForDocument': return getFoldersForDocument(q, query, options);
    case 'GetRelatedDocuments': return getRelatedDocuments(q, query, options);
  }
}

/**
 * The patients a LeafClass result discloses. Full metadata of several patients in one response is refused with
 * XDSResultNotSinglePatient, as the NIST registry tests (12368) require; references disclose no patient data and
 * pass. See: IHE ITI TF-2a 3.18.4.1.3; xds-ini digest 9.
 */
function patientsOf(result: QueryResult): Set<string> {
  if (result.kind === 'ObjectRef') return new Set();
  return new Set([...result.documentEntries, ...result.submissionSets, ...result.folders].map((o) => o.patientId));
}

/**
 * For callers that need the objects of an ObjectRef request (access control filters them before answering refs):
 * the ObjectRef limit, and no single-patient rule, since only references will leave.
 */
export interface RunOptions {
  readonly maxResults?: number;
  readonly singlePatient?: boolean;
}

function failure(request: StoredQueryRequest, error: RegistryError): RegistryStoredQueryResponse {
  return { status: 'Failure', errors: [error], result: emptyResult(request.returnType) };
}

/**
 * Runs one stored query. No match is Success with an empty result. More objects than the return type's limit is a
 * Failure with XDSTooManyResults and no objects; an `XdsError` raised below becomes a Failure carrying its code;
 * any other error propagates (the transport answers it as an internal error).
 */
export async function registryStoredQuery(request: StoredQueryRequest, deps: RegistryStoredQueryDeps, options: RunOptions = {}): Promise<RegistryStoredQueryResponse> {
  const maxResults = options.maxResults ?? (request.returnType === 'LeafClass' ? deps.maxLeafClassResults : deps.maxObjectRefResults);
  let outcome: QueryOutcome;
  try {
    outcome = await runQuery(deps.pool, request.query, { returnType: request.returnType, maxResults });
  } catch (error) {
    if (isXdsError(error)) return failure(request, error.toRegistryError());
    throw error;
  }
  if (outcome.tooMany) {
    return failure(request, {
      code: 'XDSTooManyResults',
      codeContext: `${request.query.type} matches more than ${maxResults} objects for ${request.returnType}: ask for ObjectRef or narrow the query`,
      severity: 'Error',
    });
  }
  const patients = patientsOf(outcome.result);
  if (patients.size > 1 && options.singlePatient !== false) {
    return failure(request, {
      code: 'XDSResultNotSinglePatient',
      codeContext: `${request.query.type}: the LeafClass result spans ${patients.size} patients; ask for ObjectRef`,
      severity: 'Error',
    });
  }
  return { status: 'Success', errors: [], result: outcome.result };
}
