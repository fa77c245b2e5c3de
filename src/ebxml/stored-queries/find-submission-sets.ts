import type { FindSubmissionSetsQuery } from '../../domain/stored-query.js';
import { compact } from '../rim-read.js';
import { checkMetadataLevel } from './document-entry-params.js';
import { PARAM } from './parameter-names.js';
import { asCode, asPatientId, asStatus, asString, codeValue, statusValue } from './param-values.js';
import {
  listSlot, optionalList, optionalSingle, optionalTimeRange, requiredList, requiredSingle, stringSlot, timeRangeSlots,
} from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

/**
 * FindSubmissionSets: one patient's SubmissionSets by status, sourceId, submissionTime, author (single LIKE pattern)
 * and contentTypeCode. See: IHE ITI TF-2a 3.18.4.1.2.3.7.2; xds-ini digest 5.1.
 */
export const findSubmissionSetsCodec: StoredQueryCodec<FindSubmissionSetsQuery> = {
  decode: (params) => {
    checkMetadataLevel(params);
    return compact<FindSubmissionSetsQuery>({
      type: 'FindSubmissionSets',
      patientId: requiredSingle(params, PARAM.submissionSetPatientId, asPatientId),
      statuses: requiredList(params, PARAM.submissionSetStatus, asStatus),
      sourceIds: optionalList(params, PARAM.submissionSetSourceId, asString),
      submissionTime: optionalTimeRange(params, PARAM.submissionSetSubmissionTimeFrom, PARAM.submissionSetSubmissionTimeTo),
      authorPerson: optionalSingle(params, PARAM.submissionSetAuthorPerson, asString),
      contentTypeCodes: optionalList(params, PARAM.submissionSetContentType, asCode),
    });
  },
  encode: (query) => [
    ...stringSlot(PARAM.submissionSetPatientId, query.patientId),
    ...listSlot(PARAM.submissionSetStatus, query.statuses.map(statusValue)),
    ...listSlot(PARAM.submissionSetSourceId, query.sourceIds),
    ...timeRangeSlots(PARAM.submissionSetSubmissionTimeFrom, PARAM.submissionSetSubmissionTimeTo, query.submissionTime),
    ...stringSlot(PARAM.submissionSetAuthorPerson, query.authorPerson),
    ...listSlot(PARAM.submissionSetContentType, query.contentTypeCodes?.map(codeValue)),
  ],
};
