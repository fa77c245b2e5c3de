import type { GetDocumentsAndAssociationsQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asEntryUuid, asUniqueId } from './param-values.js';
import { listSlot, oneOf, requiredList } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/**
 * GetDocumentsAndAssociations: DocumentEntries by 1 of entryUUID / uniqueId (several values), with every
 * Association that has one of them as source or target. See: IHE ITI TF-2a 3.18.4.1.2.3.7.8; xds-ini digest 5.1.
 */
export const getDocumentsAndAssociationsCodec: StoredQueryCodec<GetDocumentsAndAssociationsQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    const which = oneOf(params, [PARAM.documentEntryEntryUuid, PARAM.documentEntryUniqueId]);
    return {
      type: 'GetDocumentsAndAssociations',
      documents: which === PARAM.documentEntryEntryUuid
        ? { entryUuids: requiredList(params, which, asEntryUuid) }
        : { uniqueIds: requiredList(params, which, asUniqueId) },
    };
  },
  encode: (query) => ('entryUuids' in query.documents
    ? listSlot(PARAM.documentEntryEntryUuid, query.documents.entryUuids)
    : listSlot(PARAM.documentEntryUniqueId, query.documents.uniqueIds)),
};
