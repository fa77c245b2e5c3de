import type { GetFoldersForDocumentQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { objectKey, objectKeySlots } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

const NAMES = { entryUuid: PARAM.documentEntryEntryUuid, uniqueId: PARAM.documentEntryUniqueId };

/**
 * GetFoldersForDocument: the Folders holding one DocumentEntry, named by 1 of entryUUID / uniqueId.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.12; xds-ini digest 5.1.
 */
export const getFoldersForDocumentCodec: StoredQueryCodec<GetFoldersForDocumentQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return { type: 'GetFoldersForDocument', document: objectKey(params, NAMES) };
  },
  encode: (query) => objectKeySlots(query.document, NAMES),
};
