import type { GetDocumentsQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { objectIds, objectIdsSlots } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

const NAMES = { entryUuid: PARAM.documentEntryEntryUuid, uniqueId: PARAM.documentEntryUniqueId, logicalId: PARAM.documentEntryLogicalId };

/**
 * GetDocuments: DocumentEntries by 1 of entryUUID / uniqueId / logicalID (Metadata Update option), several values
 * each. See: IHE ITI TF-2a 3.18.4.1.2.3.7.5; xds-ini digest 5.1.
 */
export const getDocumentsCodec: StoredQueryCodec<GetDocumentsQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return { type: 'GetDocuments', documents: objectIds(params, NAMES) };
  },
  encode: (query) => objectIdsSlots(query.documents, NAMES),
};
