import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { translatePgError } from './store-errors.js';

/**
 * {@link withTransaction} whose constraint violations come out as store errors (duplicate uniqueId, unresolved
 * reference), after the rollback: callers see a typed failure and nothing written.
 */
export async function storeTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    return await withTransaction(pool, fn);
  } catch (error) {
    throw translatePgError(error);
  }
}
