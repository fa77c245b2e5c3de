import type pg from 'pg';

export interface MinuteCounts {
  readonly minute: string;
  readonly publications: number;
  readonly queries: number;
  readonly retrieves: number;
  readonly errors: number;
}

/** What the console's overview counts, from the transaction journal (migration 012). */
export interface ConsoleOverviewStore {
  /** The last `minutes` minutes, oldest first, every minute present (zeros included). */
  perMinute(minutes: number): Promise<MinuteCounts[]>;
  /** Failed exchanges of the last `minutes` by kind: the problem type or XDS error code, else the HTTP status. */
  errorsByKind(minutes: number): Promise<{ kind: string; count: number }[]>;
}

// Which journal actions count as what. Publications: the REST publication family and ITI-41/42/57/62 writes.
const PUBLICATIONS = ['create', 'validate-and-create', 'replace', 'validate-and-replace', 'delete', 'metadata', 'metadata-iti-57', 'ITI-41', 'ITI-42', 'ITI-57', 'ITI-62'];
const QUERIES = ['ITI-18', 'status', 'citizen', 'audit'];
const RETRIEVES = ['ITI-43'];

export function createConsoleOverviewStore(pool: pg.Pool): ConsoleOverviewStore {
  return {
    async perMinute(minutes) {
      const { rows } = await pool.query<{ minute: Date; publications: number; queries: number; retrieves: number; errors: number }>(
        `WITH m AS (SELECT generate_series(date_trunc('minute', now()) - make_interval(mins => $1 - 1), date_trunc('minute', now()), interval '1 minute') AS minute)
         SELECT m.minute,
                count(e.id) FILTER (WHERE e.action = ANY($2))::int AS publications,
                count(e.id) FILTER (WHERE e.action = ANY($3))::int AS queries,
                count(e.id) FILTER (WHERE e.action = ANY($4))::int AS retrieves,
                count(e.id) FILTER (WHERE e.outcome = 'failure')::int AS errors
           FROM m LEFT JOIN exchange e ON e.started_at >= m.minute AND e.started_at < m.minute + interval '1 minute'
          GROUP BY m.minute ORDER BY m.minute`,
        [minutes, PUBLICATIONS, QUERIES, RETRIEVES],
      );
      return rows.map((r) => ({ minute: r.minute.toISOString(), publications: r.publications, queries: r.queries, retrieves: r.retrieves, errors: r.errors }));
    },
    async errorsByKind(minutes) {
      // The problem type's last segment (REST, Gateway catalogue), else the first XDS errorCode, else the status.
      const { rows } = await pool.query<{ kind: string; count: number }>(
        `SELECT coalesce(substring(response_body from '"type"\\s*:\\s*"[^"]*/([^"/]+)"'),
                         substring(response_body from 'errorCode="([^"]+)"'),
                         'HTTP ' || http_status) AS kind, count(*)::int AS count
           FROM exchange
          WHERE outcome = 'failure' AND started_at >= now() - make_interval(mins => $1)
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`,
        [minutes],
      );
      return rows;
    },
  };
}
