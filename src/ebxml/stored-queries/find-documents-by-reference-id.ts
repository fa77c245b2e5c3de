import type { FindDocumentsByReferenceIdQuery } from '../../domain/stored-query.js';
import { decodeDocumentEntryCriteria, encodeDocumentEntryCriteria } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asString } from './param-values.js';
import { andOrSlots, requiredAndOr } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/**
 * FindDocumentsByReferenceId: FindDocuments plus the required `$XDSDocumentEntryReferenceIdList` (CXi values, AND/OR).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.14; xds-ini digest 5.1.
 */
export const findDocumentsByReferenceIdCodec: StoredQueryCodec<FindDocumentsByReferenceIdQuery> = {
  decode: (params) => ({
    type: 'FindDocumentsByReferenceId',
    ...decodeDocumentEntryCriteria(params),
    referenceIds: requiredAndOr(params, PARAM.documentEntryReferenceIdList, asString),
  }),
  encode: (query) => [
    ...encodeDocumentEntryCriteria(query),
    ...andOrSlots(PARAM.documentEntryReferenceIdList, query.referenceIds),
  ],
};
