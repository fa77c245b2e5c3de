import { NOT_OBSCURED_EVENT_CODE, OBSCURED_EVENT_CODE } from '../domain/citizen-rights.js';
import { parseUniqueId, type EntryUuid } from '../domain/ids.js';
import type { Code, DocumentEntry, Submission, SubmissionSet } from '../domain/xds.js';
import { xdsValueSets as defaultXdsValueSets, type XdsValueSets } from '../mappings/xds-value-sets.js';
import { sourceIdOf } from './build-submission.js';
import { formatDtm } from './dtm.js';
import { eventCodesOf, newEntryUuid } from './metadata-codes.js';
import type { RegionIdentity } from './submission-to-gateway.js';
import { SLOT, SUBMISSION_SET_STATUS } from './vocabulary.js';

/**
 * The metadata update that obscures or un-obscures a document on the citizen's request: the next version of its
 * DocumentEntry with the event codes changed and nothing else, in a SubmissionSet the region sends (sourceId and
 * uniqueId under the region's root, author copied from the document as the Gateway does for INI), HasMember with
 * `SubmissionSetStatus` Original and `PreviousVersion`. Obscuring adds P99 and drops P00 ("de-oscuramento", which
 * would contradict it); un-obscuring removes P99 and, when no event code remains, states P00: the Gateway merges
 * only the fields an update carries (an absent or empty list would leave INI's P99 in place), and P00 is the
 * value set's "not obscured". Every other code (P97, P98, clinical events) is kept. See: privacy digest 4;
 * xds-ini digest 4.5 (IHE rules, Gateway steps 3-5), 6.9, pitfall 12; Gateway API digest 3.6, 10.4.
 */

const isCode = (c: Code, code: string) => c.code.toUpperCase() === code;

/** The event codes with the obscuring set as asked, in the value set's spelling and scheme. */
export function withObscuring(eventCodes: readonly Code[], obscured: boolean, xds: XdsValueSets = defaultXdsValueSets()): Code[] {
  const others = eventCodes.filter((c) => !isCode(c, OBSCURED_EVENT_CODE) && !(obscured && isCode(c, NOT_OBSCURED_EVENT_CODE)));
  if (obscured) return [...others, ...eventCodesOf(xds, [OBSCURED_EVENT_CODE])];
  return others.length > 0 ? others : eventCodesOf(xds, [NOT_OBSCURED_EVENT_CODE]);
}

/** The SubmissionSet uniqueId of a region-sent update: the region's `.4.3.` branch, the request's UUID as a number. */
export function regionSubmissionUniqueId(region: RegionIdentity, requestId: string): string {
  return `${sourceIdOf(region.code)}.4.3.${BigInt(`0x${requestId.replaceAll('-', '')}`).toString()}`;
}

export interface VisibilityUpdateInput {
  /** The Approved entry the update is the next version of. */
  readonly current: DocumentEntry;
  readonly obscured: boolean;
  readonly region: RegionIdentity;
  /** The visibility request's id (a UUID): the SubmissionSet's uniqueId derives from it. */
  readonly requestId: string;
  /** The SubmissionSet of the document's current version, whose content type the update keeps. */
  readonly contentTypeCode: Code;
  readonly now: Date;
  readonly xdsValueSets?: XdsValueSets;
}

function nextVersion(current: DocumentEntry, obscured: boolean, entryUuid: EntryUuid, xds: XdsValueSets | undefined): DocumentEntry {
  return {
    ...current, entryUuid, logicalId: current.logicalId, version: current.version + 1, status: 'Approved',
    eventCodes: withObscuring(current.eventCodes, obscured, xds),
  };
}

function member(submissionSet: SubmissionSet, entry: EntryUuid, previousVersion: number, uuid: EntryUuid): Submission['associations'][number] {
  return {
    entryUuid: uuid, type: 'HasMember', sourceUuid: submissionSet.entryUuid, targetUuid: entry, status: 'Approved',
    slots: { [SLOT.submissionSetStatus]: [SUBMISSION_SET_STATUS.original], [SLOT.previousVersion]: [String(previousVersion)] },
  };
}

/** The ITI-57 Submission of a visibility change. */
export function visibilitySubmission(input: VisibilityUpdateInput): Submission {
  const { current, region } = input;
  const submissionSet: SubmissionSet = {
    entryUuid: newEntryUuid(),
    uniqueId: parseUniqueId(regionSubmissionUniqueId(region, input.requestId)),
    sourceId: sourceIdOf(region.code),
    patientId: current.patientId,
    submissionTime: formatDtm(input.now),
    contentTypeCode: input.contentTypeCode,
    authors: current.authors,
    intendedRecipients: [],
    status: 'Approved',
    extraSlots: {},
  };
  const entry = nextVersion(current, input.obscured, newEntryUuid(), input.xdsValueSets);
  return { submissionSet, documents: [{ entry }], folders: [], associations: [member(submissionSet, entry.entryUuid, current.version, newEntryUuid())] };
}

/**
 * The same change on the entry in force when it is applied (another update may have come first: an earlier request
 * still queued, INI's authoritative copy, a producer's ITI-57): same SubmissionSet and ids, the event codes of
 * `current` changed, PreviousVersion its version. See: xds-ini digest 4.5 (PreviousVersion must be the latest).
 */
export function rebaseVisibility(submission: Submission, current: DocumentEntry, obscured: boolean, xds?: XdsValueSets): Submission {
  const [document] = submission.documents;
  const association = submission.associations.find((a) => a.type === 'HasMember');
  if (!document || !association) return submission;
  const entry = nextVersion(current, obscured, document.entry.entryUuid, xds);
  return { ...submission, documents: [{ entry }], associations: [member(submission.submissionSet, entry.entryUuid, current.version, association.entryUuid)] };
}
