import { parseUniqueId, type UniqueId } from '../../domain/ids.js';
import { FseError } from '../../errors/fse-error.js';
import { audited, guardOf, recordCall, type RightsCall, type RightsDeps } from './citizen-call.js';

export interface CitizenContent {
  readonly uniqueId: string;
  readonly mimeType: string;
  readonly bytes: Uint8Array;
}

const TRANSACTION = 'REST-citizen-content';

/**
 * `GET /v1/citizen/documents/{uniqueId}/content`: the document's bytes (the PDF with its CDA), when the requester
 * may see it. A document that does not exist, is not Approved, belongs to a patient the call is not about, or is
 * hidden from the requester gets one answer, 404 with one text, so a uniqueId tells nothing of a document's
 * existence. See: privacy digest 4 (existence must not leak).
 */
export async function readCitizenDocument(call: RightsCall, uniqueIdParam: string, deps: RightsDeps): Promise<CitizenContent> {
  const missing = new FseError('notFound', 'no such document among those the requester may see');
  let uniqueId: UniqueId;
  try {
    uniqueId = parseUniqueId(uniqueIdParam);
  } catch {
    throw missing;
  }
  return audited(call, deps, TRANSACTION, undefined, async () => {
    const entry = await deps.registry.getDocumentEntry({ uniqueId });
    if (!entry || entry.status !== 'Approved' || entry.repositoryUniqueId === undefined) throw missing;
    const guard = guardOf(call, deps);
    // The decision binds the requester to the patient its token names (person_id, or itself for ASS): a delegate's
    // token for P1 does not fetch P2's documents even if P2 also delegated to them.
    const decision = await guard.entry(entry);
    if (!decision.allowed) {
      await recordCall(call, deps, { transaction: TRANSACTION, patientId: entry.patientId, outcome: 'Failure', errors: ['notFound'], refusals: guard.refusals });
      throw missing;
    }
    const stored = await deps.repository.getDocument(entry.repositoryUniqueId, uniqueId);
    if (!stored) throw missing;
    await recordCall(call, deps, { transaction: TRANSACTION, patientId: entry.patientId, documentIds: [uniqueId], outcome: 'Success' });
    return { uniqueId, mimeType: stored.mimeType, bytes: stored.bytes };
  });
}
