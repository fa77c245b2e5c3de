import type { GetAssociationsQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asEntryUuid } from './param-values.js';
import { listSlot, requiredList } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/** GetAssociations: `$uuid` (required, several values). See: IHE ITI TF-2a 3.18.4.1.2.3.7.7; xds-ini digest 5.1. */
export const getAssociationsCodec: StoredQueryCodec<GetAssociationsQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return { type: 'GetAssociations', uuids: requiredList(params, PARAM.uuid, asEntryUuid) };
  },
  encode: (query) => listSlot(PARAM.uuid, query.uuids),
};
