import { createHash, randomUUID } from 'node:crypto';

/** The XDW suffix of every workflow instance id. See: Gateway API digest, 7.6. */
export const WORKFLOW_SUFFIX = '^^^^urn:ihe:iti:xdw:2013:workflowInstanceId';
export const UNKNOWN_WORKFLOW_ID = 'UNKNOWN_WORKFLOW_ID';

export type WorkflowInstanceId = string & { readonly __brand: 'WorkflowInstanceId' };

/** 10 hex chars from a random UUID without dashes, as the Gateway does: every validation gets a new id. */
function randomPart(): string {
  return randomUUID().replaceAll('-', '').slice(0, 10);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `<id@root>.<sha256hex(id@extension)>.<10 hex>^^^^urn:ihe:iti:xdw:2013:workflowInstanceId`, for validation.
 * Returns undefined when the CDA has no usable id (the caller answers `/msg/workflow-id-error-extraction`).
 */
export function workflowIdForCda(id: { root?: string; extension?: string } | undefined): WorkflowInstanceId | undefined {
  if (!id?.root || !id.extension) return undefined;
  return `${id.root}.${sha256Hex(id.extension)}.${randomPart()}${WORKFLOW_SUFFIX}` as WorkflowInstanceId;
}

/** `<sha256hex(idDoc)>.<10 hex>^^^^...`, for delete and metadata update. */
export function workflowIdForDocument(idDoc: string): WorkflowInstanceId {
  return `${sha256Hex(idDoc)}.${randomPart()}${WORKFLOW_SUFFIX}` as WorkflowInstanceId;
}
