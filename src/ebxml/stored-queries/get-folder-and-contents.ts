import type { GetFolderAndContentsQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel, decodeContentFilters, encodeContentFilters } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { objectKey, objectKeySlots } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

const NAMES = { entryUuid: PARAM.folderEntryUuid, uniqueId: PARAM.folderUniqueId };

/**
 * GetFolderAndContents: one Folder by 1 of entryUUID / uniqueId, with the DocumentEntry content filters.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.11; xds-ini digest 5.1.
 */
export const getFolderAndContentsCodec: StoredQueryCodec<GetFolderAndContentsQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return { type: 'GetFolderAndContents', folder: objectKey(params, NAMES), ...decodeContentFilters(params) };
  },
  encode: (query) => [...objectKeySlots(query.folder, NAMES), ...encodeContentFilters(query)],
};
