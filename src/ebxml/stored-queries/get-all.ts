import type { GetAllQuery } from '../../domain/stored-query.js';
import { checkMetadataLevel, decodeContentFilters, encodeContentFilters } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asPatientId, asStatus, statusValue } from './param-values.js';
import { listSlot, requiredList, requiredSingle, stringSlot } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/**
 * GetAll: everything of one patient, with a required status list per object kind and the DocumentEntry content
 * filters. See: IHE ITI TF-2a 3.18.4.1.2.3.7.4; xds-ini digest 5.1.
 */
export const getAllCodec: StoredQueryCodec<GetAllQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return {
      type: 'GetAll',
      patientId: requiredSingle(params, PARAM.patientId, asPatientId),
      documentStatuses: requiredList(params, PARAM.documentEntryStatus, asStatus),
      submissionSetStatuses: requiredList(params, PARAM.submissionSetStatus, asStatus),
      folderStatuses: requiredList(params, PARAM.folderStatus, asStatus),
      ...decodeContentFilters(params),
    };
  },
  encode: (query) => [
    ...stringSlot(PARAM.patientId, query.patientId),
    ...listSlot(PARAM.documentEntryStatus, query.documentStatuses.map(statusValue)),
    ...listSlot(PARAM.submissionSetStatus, query.submissionSetStatuses.map(statusValue)),
    ...listSlot(PARAM.folderStatus, query.folderStatuses.map(statusValue)),
    ...encodeContentFilters(query),
  ],
};
