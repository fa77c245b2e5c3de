import type { Queryable } from '../../db/pool.js';
import type { FindFoldersQuery } from '../../domain/stored-query.js';
import { allOf, codeIn, timeRange } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * FindFolders: one patient's Folders (index `folder_patient_status_idx`), filtered by lastUpdateTime and one EXISTS
 * on `folder_code` per `$XDSFolderCodeList` slot. See: IHE ITI TF-2a 3.18.4.1.2.3.7.3.
 */
export function findFolders(q: Queryable, query: FindFoldersQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const conditions = [
    `f.patient_id = ${p.add(query.patientId)}`,
    `f.status = ANY(${p.add(query.statuses)}::text[])`,
    ...timeRange('f.last_update_time_key', query.lastUpdateTime, p),
    ...(query.codes ?? []).map((codes) => `EXISTS (SELECT 1 FROM folder_code c
      WHERE c.entry_uuid = f.entry_uuid AND ${codeIn('c.code', 'c.scheme', codes, p)})`),
  ];
  return singleKindResult(q, 'folders', allOf(conditions), p, options);
}
