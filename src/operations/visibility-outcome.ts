import type { Operation } from '../stores/operation-store.js';
import type { VisibilityRequestStore } from '../stores/visibility-request-store.js';
import { recordNotFound, refusalOf } from './gateway-outcome.js';
import { applyRegistryAction, type LocalIndexDeps } from './index-locally.js';

/**
 * What the Gateway's answer makes of a citizen's visibility request: accepted, the request is confirmed (the
 * registry has followed: the worker applied the change before); refused, it is refused with the Gateway's words,
 * and the stricter visibility stays in force locally; a document INI does not know (404 `/msg/record-not-found`, a
 * document registered here by ITI-42 and never published nationally) is the region's alone, so the change is made in
 * the regional registry and confirmed, as ITI-57 does for such documents. Called by the forwarding worker when the
 * answer arrives, before the answer is saved (which wakes the waiting request). Idempotent.
 * See: privacy digest 4; xds-ini digest 1.2, 4.5.
 */
export interface VisibilityOutcomeDeps extends LocalIndexDeps {
  readonly visibility: VisibilityRequestStore;
}

export async function settleVisibility(op: Operation, answer: NonNullable<Operation['answer']>, deps: VisibilityOutcomeDeps): Promise<void> {
  const action = op.registryAction;
  if (action?.kind !== 'visibility') return;
  const answered: Operation = { ...op, answer };
  if (answer.status >= 200 && answer.status < 300) {
    await deps.visibility.settle(action.requestId, 'confirmed');
  } else if (recordNotFound(answered)) {
    await applyRegistryAction(action, undefined, deps);
    await deps.visibility.settle(action.requestId, 'confirmed');
  } else {
    await deps.visibility.settle(action.requestId, 'refused', refusalOf(answered));
  }
}
