import type { GetRelatedDocumentsQuery } from '../../domain/stored-query.js';
import { compact } from '../rim-read.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asAssociationType, asDocumentEntryType, associationTypeValue, documentEntryTypeValue } from './param-values.js';
import { listSlot, objectKey, objectKeySlots, optionalList, requiredList } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

const NAMES = { entryUuid: PARAM.documentEntryEntryUuid, uniqueId: PARAM.documentEntryUniqueId };

/**
 * GetRelatedDocuments: one DocumentEntry (1 of entryUUID / uniqueId), the required `$AssociationTypes` and the
 * optional `$XDSDocumentEntryType`. See: IHE ITI TF-2a 3.18.4.1.2.3.7.13; xds-ini digest 5.1.
 */
export const getRelatedDocumentsCodec: StoredQueryCodec<GetRelatedDocumentsQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return compact<GetRelatedDocumentsQuery>({
      type: 'GetRelatedDocuments',
      document: objectKey(params, NAMES),
      associationTypes: requiredList(params, PARAM.associationTypes, asAssociationType),
      documentEntryTypes: optionalList(params, PARAM.documentEntryType, asDocumentEntryType),
    });
  },
  encode: (query) => [
    ...objectKeySlots(query.document, NAMES),
    ...listSlot(PARAM.associationTypes, query.associationTypes.map(associationTypeValue)),
    ...listSlot(PARAM.documentEntryType, query.documentEntryTypes?.map(documentEntryTypeValue)),
  ],
};
