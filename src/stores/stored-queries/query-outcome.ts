import type { QueryResult, QueryReturnType } from '../../domain/stored-query.js';

/**
 * What the stored query store functions take and give back. The caller states the most objects it accepts; a store
 * that finds more says so without loading them, and the operation answers XDSTooManyResults.
 * See: xds-ini digest 5.2 (XDSTooManyResults), 9.
 */
export interface QueryOptions {
  readonly returnType: QueryReturnType;
  /** The most objects (LeafClass: entries, sets, folders and associations together; ObjectRef: refs) to return. */
  readonly maxResults: number;
}

export type QueryOutcome = { readonly tooMany: false; readonly result: QueryResult } | { readonly tooMany: true };

export const TOO_MANY: QueryOutcome = { tooMany: true };

/** How many objects a result holds, the number compared with the limit. */
export function resultSize(result: QueryResult): number {
  return result.kind === 'ObjectRef'
    ? result.refs.length
    : result.documentEntries.length + result.submissionSets.length + result.folders.length + result.associations.length;
}

/** The outcome of a result that may hold one object too many (queries fetch `maxResults + 1` to notice). */
export function outcomeOf(result: QueryResult, options: QueryOptions): QueryOutcome {
  return resultSize(result) > options.maxResults ? TOO_MANY : { tooMany: false, result };
}
