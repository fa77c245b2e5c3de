import type { Queryable } from '../../db/pool.js';
import type { EntryUuid } from '../../domain/ids.js';
import type { QueryResult } from '../../domain/stored-query.js';
import { selectDocumentEntries } from '../document-entry-rows.js';
import { selectAssociationsWhere, selectFolders, selectSubmissionSets } from './object-rows.js';
import { ORDER } from './query-conditions.js';
import { outcomeOf, TOO_MANY, type QueryOptions, type QueryOutcome } from './query-outcome.js';
import type { SqlParams } from './sql-params.js';

/**
 * Turning a stored query's selection into its result. Queries that return one kind of object run one statement:
 * ids only for ObjectRef, complete objects for LeafClass, `LIMIT maxResults + 1` to notice too many. Queries that
 * return several kinds first select the ids of everything (one statement), then load the objects by id.
 */

const EMPTY: Omit<Extract<QueryResult, { kind: 'LeafClass' }>, 'kind'> = {
  documentEntries: [], submissionSets: [], folders: [], associations: [],
};

interface Kind {
  readonly table: string;
  readonly alias: string;
  readonly order: string;
}

const KINDS = {
  documentEntries: { table: 'document_entry', alias: 'd', order: ORDER.documentEntries },
  submissionSets: { table: 'submission_set', alias: 's', order: ORDER.submissionSets },
  folders: { table: 'folder', alias: 'f', order: ORDER.folders },
  associations: { table: 'association', alias: 'a', order: ORDER.associations },
} as const satisfies Record<keyof typeof EMPTY, Kind>;

type KindName = keyof typeof KINDS;

/** Complete objects of one kind as a LeafClass result; `condition` goes after `FROM <table> <alias>`. */
async function loadKind(q: Queryable, kind: KindName, condition: string, params: readonly unknown[]): Promise<QueryResult> {
  switch (kind) {
    case 'documentEntries': return { kind: 'LeafClass', ...EMPTY, documentEntries: await selectDocumentEntries(q, condition, params) };
    case 'submissionSets': return { kind: 'LeafClass', ...EMPTY, submissionSets: await selectSubmissionSets(q, condition, params) };
    case 'folders': return { kind: 'LeafClass', ...EMPTY, folders: await selectFolders(q, condition, params) };
    case 'associations': return { kind: 'LeafClass', ...EMPTY, associations: await selectAssociationsWhere(q, condition, params) };
  }
}

/**
 * The result of a query returning objects of one kind that match `where` (on the kind's alias), in the kind's order.
 */
export async function singleKindResult(
  q: Queryable, kind: KindName, where: string, p: SqlParams, options: QueryOptions,
): Promise<QueryOutcome> {
  const { table, alias, order } = KINDS[kind];
  const tail = `WHERE ${where}\n${order}\nLIMIT ${p.add(options.maxResults + 1)}`;
  if (options.returnType === 'ObjectRef') {
    const { rows } = await q.query<{ entry_uuid: EntryUuid }>(`SELECT ${alias}.entry_uuid FROM ${table} ${alias} ${tail}`, p.values);
    return outcomeOf({ kind: 'ObjectRef', refs: rows.map((r) => r.entry_uuid) }, options);
  }
  return outcomeOf(await loadKind(q, kind, tail, p.values), options);
}

/** The entryUUIDs a several-kinds query selected, per kind, each list in result order. */
export type QueryIds = { readonly [K in KindName]: readonly EntryUuid[] };

const KIND_OF_ROW = {
  DocumentEntry: 'documentEntries', SubmissionSet: 'submissionSets', Folder: 'folders', Association: 'associations',
} as const satisfies Record<string, KindName>;

/** One row of an id selection: which kind of object, and its entryUUID. */
export interface IdRow {
  readonly kind: keyof typeof KIND_OF_ROW;
  readonly entry_uuid: EntryUuid;
}

/** Runs an id selection whose rows are `(kind, entry_uuid)` in result order. */
export async function selectIds(q: Queryable, sql: string, p: SqlParams): Promise<QueryIds> {
  const { rows } = await q.query<IdRow>(sql, p.values);
  const ids: Record<KindName, EntryUuid[]> = { documentEntries: [], submissionSets: [], folders: [], associations: [] };
  for (const row of rows) ids[KIND_OF_ROW[row.kind]].push(row.entry_uuid);
  return ids;
}

/** The result of selected ids: the refs, or the objects loaded by id (one statement per non-empty kind). */
export async function resultFromIds(q: Queryable, ids: QueryIds, options: QueryOptions): Promise<QueryOutcome> {
  const kinds = Object.keys(KINDS) as KindName[];
  const refs = kinds.flatMap((kind) => ids[kind]);
  if (refs.length > options.maxResults) return TOO_MANY;
  if (options.returnType === 'ObjectRef') return { tooMany: false, result: { kind: 'ObjectRef', refs } };
  const byId = (alias: string) =>
    `WHERE ${alias}.entry_uuid = ANY($1::text[]) ORDER BY array_position($1::text[], ${alias}.entry_uuid)`;
  const load = async <T>(list: readonly EntryUuid[], alias: string, read: (q: Queryable, c: string, p: readonly unknown[]) => Promise<T[]>) =>
    (list.length === 0 ? [] : read(q, byId(alias), [list]));
  const [documentEntries, submissionSets, folders, associations] = await Promise.all([
    load(ids.documentEntries, 'd', selectDocumentEntries),
    load(ids.submissionSets, 's', selectSubmissionSets),
    load(ids.folders, 'f', selectFolders),
    load(ids.associations, 'a', selectAssociationsWhere),
  ]);
  return { tooMany: false, result: { kind: 'LeafClass', documentEntries, submissionSets, folders, associations } };
}
