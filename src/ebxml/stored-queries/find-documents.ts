import type { FindDocumentsQuery } from '../../domain/stored-query.js';
import { decodeDocumentEntryCriteria, encodeDocumentEntryCriteria } from './document-entry-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/** FindDocuments: one patient's DocumentEntries by status, codes, times, authors. See: IHE ITI TF-2a 3.18.4.1.2.3.7.1. */
export const findDocumentsCodec: StoredQueryCodec<FindDocumentsQuery> = {
  decode: (params) => ({ type: 'FindDocuments', ...decodeDocumentEntryCriteria(params) }),
  encode: (query) => encodeDocumentEntryCriteria(query),
};
