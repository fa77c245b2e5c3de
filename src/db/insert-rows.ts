import type { Queryable } from './pool.js';

/** A row to insert: column name to value. Column and table names come from code constants, never from input. */
export type Row = Readonly<Record<string, unknown>>;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Inserts rows that share one set of columns in a single parameterised statement. Written once so each store lists
 * its columns next to the values (readable in review) instead of counting `$17` placeholders by hand.
 */
export async function insertRows(q: Queryable, table: string, rows: readonly Row[]): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  }
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((column) => {
      values.push(row[column] ?? null);
      return `$${values.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  await q.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
}
