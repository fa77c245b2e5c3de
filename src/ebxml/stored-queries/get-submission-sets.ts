import type { GetSubmissionSetsQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asEntryUuid } from './param-values.js';
import { listSlot, requiredList } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/**
 * GetSubmissionSets: `$uuid` (required, several values: DocumentEntry or Folder entryUUIDs).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.9; xds-ini digest 5.1.
 */
export const getSubmissionSetsCodec: StoredQueryCodec<GetSubmissionSetsQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return { type: 'GetSubmissionSets', uuids: requiredList(params, PARAM.uuid, asEntryUuid) };
  },
  encode: (query) => listSlot(PARAM.uuid, query.uuids),
};
