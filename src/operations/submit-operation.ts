import { setTimeout as sleep } from 'node:timers/promises';
import type { NewOperation, Operation, OperationStore } from '../stores/operation-store.js';
import type { OperationWaiter } from '../stores/operation-waiter.js';

/**
 * Hands an operation to the workers: enqueues the forwarding job of operation `operationId`, whose job id is the
 * operation id, so a duplicate is one job. Declared here, on the operations' side, so that operations do not depend
 * on the job catalogue; the composition root binds it to the queue (`src/job-deps.ts`).
 */
export type EnqueueForwarding = (operationId: string) => Promise<void>;

export interface SubmitDeps {
  readonly operations: OperationStore;
  readonly enqueueForwarding: EnqueueForwarding;
  /** How long the front door waits for the Gateway's answer before answering "taken in charge". */
  readonly waitMs: number;
  /** Wakes the wait as soon as a worker records the outcome; without it the row is polled. */
  readonly waiter?: OperationWaiter;
  readonly pollMs?: number;
}

export type SubmitOutcome =
  /** The Gateway answered (success or error): relay it unchanged. */
  | { readonly kind: 'answered'; readonly operation: Operation }
  /** The Gateway is unreachable: stored (and indexed locally when possible), to be replayed. */
  | { readonly kind: 'local'; readonly operation: Operation }
  /** No answer yet within the wait: the job goes on. */
  | { readonly kind: 'pending'; readonly operation: Operation };

/**
 * The one way an operation enters the pipeline, whatever the front door: store it (a duplicate submission finds the
 * first row), enqueue its job by the same business key (a duplicate is one job), then wait for the worker's outcome
 * so the producer gets the Gateway's answer in real time. See: pipeline issue, sections 2-4.
 */
export async function submitOperation(op: NewOperation, deps: SubmitDeps): Promise<SubmitOutcome> {
  let { operation } = await deps.operations.insert(op);
  // The same call again after the Gateway refused it (e.g. validated since): a new attempt, not the old answer.
  if (operation.answer && operation.answer.status >= 300) operation = (await deps.operations.insert({ ...op, id: `${op.id}:${op.traceId}` })).operation;
  const deadline = Date.now() + deps.waitMs;
  // Listen before enqueueing, so an answer recorded at once is not missed.
  let woken = deps.waiter?.wait(operation.id, deps.waitMs);
  await deps.enqueueForwarding(operation.id);
  let current = operation;
  for (;;) {
    if (current.state === 'answered' || current.state === 'forwarded' || current.state === 'rejected') return { kind: 'answered', operation: current };
    if (current.state === 'local') return { kind: 'local', operation: current };
    const left = deadline - Date.now();
    if (left <= 0) return { kind: 'pending', operation: current };
    if (woken) {
      await woken;
      woken = deps.waiter?.wait(operation.id, Math.min(left, 1_000));
    } else {
      await sleep(deps.pollMs ?? 15);
    }
    current = (await deps.operations.get(operation.id)) ?? current;
  }
}
