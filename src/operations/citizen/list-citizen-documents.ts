import { effectiveObscured } from '../../access/effective-obscuring.js';
import { personKey } from '../../domain/ids.js';
import type { DocumentEntry } from '../../domain/xds.js';
import { audited, guardOf, patientOfCall, recordCall, refused, type RightsCall, type RightsDeps } from './citizen-call.js';

/** One document as the citizen's portal lists it: what a person recognises, nothing of the registry's internals. */
export interface CitizenDocument {
  readonly uniqueId: string;
  /** LOINC type code and its name. */
  readonly type: { readonly code: string; readonly name?: string };
  readonly title?: string;
  /** creationTime as ISO 8601 (UTC). */
  readonly date?: string;
  /** The first author's first organization, by name. */
  readonly authorOrganization?: string;
  /** The document carries the obscuring code (P99), or an obscuring the citizen asked for is in force. */
  readonly obscured: boolean;
}

/** DTM (YYYYMMDDhhmmss, UTC) as ISO 8601; a shorter DTM keeps its precision's start. See: IHE ITI TF-3 4.2.3.1.2. */
export function isoOfDtm(dtm: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?$/.exec(dtm ?? '');
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
}

/** XON's organization name (XON.1). */
const organizationOf = (entry: DocumentEntry) => entry.authors.flatMap((a) => a.institutions)[0]?.split('^')[0] || undefined;

export function citizenDocumentOf(entry: DocumentEntry, obscured: boolean): CitizenDocument {
  return {
    uniqueId: entry.uniqueId,
    type: { code: entry.typeCode.code, ...(entry.typeCode.display ? { name: entry.typeCode.display } : {}) },
    ...(entry.title ? { title: entry.title } : {}),
    ...(isoOfDtm(entry.creationTime) ? { date: isoOfDtm(entry.creationTime) } : {}),
    ...(organizationOf(entry) ? { authorOrganization: organizationOf(entry) } : {}),
    obscured,
  };
}

/**
 * `GET /v1/citizen/documents`: the Approved documents of the patient the call is about that the requester may see,
 * through the same access decision as every read path (a delegate sees the delegation's types, a parent nothing
 * under P97, nobody but the patient and the author under P99), newest first. The access log gets the documents
 * returned and the reasons any were hidden, never their ids. Documents of the patient held by other regions are
 * not listed: they are reached through INI by the professionals' read paths. See: privacy digest 4, 5.
 */
export async function listCitizenDocuments(call: RightsCall, asked: string | undefined, deps: RightsDeps): Promise<CitizenDocument[]> {
  const patientId = patientOfCall(call, asked);
  return audited(call, deps, 'REST-citizen-documents', patientId, async () => {
    const guard = guardOf(call, deps);
    const granted = await guard.patient(patientId);
    if (!granted.allowed) throw refused(granted);
    const entries = await deps.registry.findDocumentEntries({ patientId, statuses: ['Approved'] });
    const visible = await guard.visible(entries);
    const newestFirst = [...visible].sort((a, b) => (b.creationTime ?? '').localeCompare(a.creationTime ?? ''));
    await recordCall(call, deps, {
      transaction: 'REST-citizen-documents', patientId, documentIds: newestFirst.map((e) => e.uniqueId), outcome: 'Success', refusals: guard.refusals,
    });
    const requests = await deps.access.visibility.latestOfPatient(personKey(patientId));
    return newestFirst.map((e) => citizenDocumentOf(e, effectiveObscured(e, requests)));
  });
}
