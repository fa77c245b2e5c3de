import { createQueueBackend } from '../../src/queue/connection.js';
import { captureCorrelation, toJobData } from '../../src/queue/job-context.js';
import { jobsQueueName } from '../../src/queue/queue-names.js';
import type { Harness } from './bridge-harness.js';

/**
 * Makes the bridge's own worker fail a job for good: a forward-operation (one attempt) for an operation queued
 * behind an earlier one on the same document that is stuck in `sending` (its worker died). The worker refuses to
 * overtake it (per-document order) and, its single attempt used, BullMQ fails the job and the real dead-letter path
 * parks it. The test writes the two operation rows and the job; nothing into the dead-letter queue.
 */
export async function enqueueStuckOperation(h: Harness, prefix: string, jobId: string): Promise<void> {
  const pool = h.app.resources().db.pool;
  const doc = `2.16.840.1.113883.2.9.2.120.4.4^STUCK.${jobId}`;
  for (const [id, state] of [[`${jobId}-first`, 'sending'], [jobId, 'received']] as const) {
    await pool.query(
      `INSERT INTO gateway_operation (id, kind, document_id, method, path, authorization_header, signature_header, claims, trace_id, span_id, state)
       VALUES ($1, 'delete', $2, 'DELETE', '/documents/x', 'Bearer x', '', '{}', $3, $4, $5)`,
      [id, doc, 'a'.repeat(32), 'b'.repeat(16), state]);
  }
  const backend = await createQueueBackend({ backend: 'postgres', redisUrl: '', databaseUrl: h.app.resources().db.url });
  const queue = backend.createQueue(jobsQueueName(prefix));
  try {
    await queue.add('forward-operation', toJobData({ operationId: jobId }, captureCorrelation()), { jobId, attempts: 1 });
  } finally {
    await queue.close();
    await backend.close();
  }
}
