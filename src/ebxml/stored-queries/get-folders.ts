import type { GetFoldersQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { objectIds, objectIdsSlots } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

const NAMES = { entryUuid: PARAM.folderEntryUuid, uniqueId: PARAM.folderUniqueId, logicalId: PARAM.folderLogicalId };

/**
 * GetFolders: Folders by 1 of entryUUID / uniqueId / logicalID, several values each.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.6; xds-ini digest 5.1.
 */
export const getFoldersCodec: StoredQueryCodec<GetFoldersQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return { type: 'GetFolders', folders: objectIds(params, NAMES) };
  },
  encode: (query) => objectIdsSlots(query.folders, NAMES),
};
