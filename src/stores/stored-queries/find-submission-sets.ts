import type { Queryable } from '../../db/pool.js';
import type { FindSubmissionSetsQuery } from '../../domain/stored-query.js';
import { allOf, codeIn, timeRange } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * FindSubmissionSets: one patient's SubmissionSets (index `submission_set_patient_status_idx`), filtered by
 * sourceId, submissionTime, one author LIKE pattern and contentTypeCode. See: IHE ITI TF-2a 3.18.4.1.2.3.7.2.
 */
export function findSubmissionSets(q: Queryable, query: FindSubmissionSetsQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const conditions = [
    `s.patient_id = ${p.add(query.patientId)}`,
    `s.status = ANY(${p.add(query.statuses)}::text[])`,
    ...(query.sourceIds === undefined ? [] : [`s.source_id = ANY(${p.add(query.sourceIds)}::text[])`]),
    ...timeRange('s.submission_time_key', query.submissionTime, p),
    ...(query.authorPerson === undefined ? [] : [`EXISTS (SELECT 1 FROM submission_set_author a
      WHERE a.entry_uuid = s.entry_uuid AND a.person LIKE ${p.add(query.authorPerson)})`]),
    ...(query.contentTypeCodes === undefined ? [] : [codeIn('s.content_type_code', 's.content_type_scheme', query.contentTypeCodes, p)]),
  ];
  return singleKindResult(q, 'submissionSets', allOf(conditions), p, options);
}
