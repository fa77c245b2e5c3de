import type { FindFoldersQuery } from '../../domain/stored-query.js';
import { compact } from '../rim-read.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asCode, asPatientId, asStatus, codeValue, statusValue } from './param-values.js';
import {
  andOrSlots, listSlot, optionalAndOr, optionalTimeRange, requiredList, requiredSingle, stringSlot, timeRangeSlots,
} from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/**
 * FindFolders: one patient's Folders by status, lastUpdateTime and codeList (AND/OR).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.3; xds-ini digest 5.1.
 */
export const findFoldersCodec: StoredQueryCodec<FindFoldersQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return compact<FindFoldersQuery>({
      type: 'FindFolders',
      patientId: requiredSingle(params, PARAM.folderPatientId, asPatientId),
      statuses: requiredList(params, PARAM.folderStatus, asStatus),
      lastUpdateTime: optionalTimeRange(params, PARAM.folderLastUpdateTimeFrom, PARAM.folderLastUpdateTimeTo),
      codes: optionalAndOr(params, PARAM.folderCodeList, asCode),
    });
  },
  encode: (query) => [
    ...stringSlot(PARAM.folderPatientId, query.patientId),
    ...listSlot(PARAM.folderStatus, query.statuses.map(statusValue)),
    ...timeRangeSlots(PARAM.folderLastUpdateTimeFrom, PARAM.folderLastUpdateTimeTo, query.lastUpdateTime),
    ...andOrSlots(PARAM.folderCodeList, query.codes?.map((group) => group.map(codeValue))),
  ],
};
