import { createHash } from 'node:crypto';
import type { OperationKind } from '../../stores/operation-store.js';

/**
 * What identifies one call to the national Gateway, whichever door it came through. The same call twice (a producer's
 * retransmission, a job run again) has the same key, so it is one operation, one job and one answer; anything that
 * makes it another call changes the key. See: STYLE rule 12 (job ids from business keys).
 */
export interface BusinessKeyParts {
  readonly kind: OperationKind;
  /** The document the Gateway path names (replace, delete, metadata update); absent for a creation. */
  readonly targetId?: string;
  /** The document the call is about: the new document of a publication, the path's document otherwise. */
  readonly documentId: string;
  /** The PDF published, by its exact bytes. */
  readonly pdf?: Uint8Array;
  /**
   * What else tells this call from another on the same document, for calls without a PDF: the producer's signed token
   * and body (REST), the SubmissionSet and logicalID of the new version (ITI-57), the objects removed (ITI-62).
   */
  readonly distinguishedBy?: readonly string[];
}

/**
 * The operation id of a Gateway call, `<kind>:<sha256>`: one recipe for every door, so the same publication through
 * REST or ITI-41 is spelt the same way. The parts are hashed as a JSON array, so no value can run into the next.
 */
export function businessKey(parts: BusinessKeyParts): string {
  const pdf = parts.pdf ? createHash('sha256').update(parts.pdf).digest('hex') : '';
  const fields = [parts.kind, parts.targetId ?? '', parts.documentId, pdf, ...(parts.distinguishedBy ?? [])];
  return `${parts.kind}:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}
