import type { EntryUuid } from '../../domain/ids.js';
import type { Association, DocumentEntry, Submission, SubmissionSet } from '../../domain/xds.js';
import { planRegister, planUpdate, type WritePlan } from './index-write-checks.js';
import type { IniIndexView, Planned, RemovePlan } from './ini-index-view.js';

/**
 * INI's own index, in memory: every version of every DocumentEntry (by uniqueId, oldest first, with its status), the
 * SubmissionSets and the Associations, with entryUUIDs as INI assigned them. Writes are planned first (checks only),
 * then committed, so INI can forward the message to the RDA between the two and index only what was delivered or
 * queued. A commit re-plans, so a concurrent identical message makes it a no-op. See: xds-ini digest 4.2, 4.5, 4.6,
 * 4.7, 4.8 (idempotency), pitfall 23.
 */

export interface IniIndex extends IniIndexView {
  planRegister(submission: Submission): Planned<WritePlan>;
  planUpdate(submission: Submission): Planned<WritePlan>;
  planRemove(uuids: readonly EntryUuid[]): Planned<RemovePlan>;
  /** Applies a plan of {@link planRegister} or {@link planUpdate} after re-planning it. */
  commitWrite(plan: WritePlan): Planned<WritePlan>;
  commitRemove(plan: RemovePlan): Planned<RemovePlan>;
  clear(): void;
}

export function createIniIndex(): IniIndex {
  const entries = new Map<string, DocumentEntry>();
  const byUniqueId = new Map<string, EntryUuid[]>();
  const submissionSets = new Map<string, SubmissionSet>();
  const associations = new Map<string, Association>();
  const removed = new Set<string>();

  const view: IniIndexView = {
    versionsOf(uniqueId) {
      const all = (byUniqueId.get(uniqueId) ?? []).flatMap((id) => entries.get(id) ?? []);
      return [...all.filter((e) => e.status === 'Approved'), ...all.filter((e) => e.status !== 'Approved').reverse()];
    },
    approvedOf: (uniqueId) => view.versionsOf(uniqueId).find((e) => e.status === 'Approved'),
    entry: (id) => entries.get(id),
    versionsOfLogicalId: (lid) => [...entries.values()].filter((e) => e.logicalId === lid).sort((a, b) => a.version - b.version),
    submissionSet: (id) => submissionSets.get(id),
    submissionSets: () => [...submissionSets.values()],
    association: (id) => associations.get(id),
    associationsOf: (uuids) => [...associations.values()].filter((a) => uuids.includes(a.sourceUuid) || uuids.includes(a.targetUuid)),
    uniqueIds: () => [...byUniqueId.keys()],
    get entryCount() {
      return entries.size;
    },
  };

  const write = (plan: WritePlan): void => {
    for (const id of plan.deprecate) {
      const old = entries.get(id);
      if (old) entries.set(id, { ...old, status: 'Deprecated' });
    }
    submissionSets.set(plan.submission.submissionSet.entryUuid, plan.submission.submissionSet);
    for (const { entry } of plan.submission.documents) {
      entries.set(entry.entryUuid, entry);
      byUniqueId.set(entry.uniqueId, [...(byUniqueId.get(entry.uniqueId) ?? []), entry.entryUuid]);
    }
    for (const a of plan.submission.associations) associations.set(a.entryUuid, a);
  };

  const remove = (plan: RemovePlan): void => {
    for (const id of plan.entries) {
      const entry = entries.get(id);
      entries.delete(id);
      if (entry) {
        const left = (byUniqueId.get(entry.uniqueId) ?? []).filter((v) => v !== id);
        if (left.length === 0) byUniqueId.delete(entry.uniqueId);
        else byUniqueId.set(entry.uniqueId, left);
      }
    }
    for (const id of plan.associations) associations.delete(id);
    for (const id of plan.submissionSets) submissionSets.delete(id);
    for (const id of [...plan.entries, ...plan.associations, ...plan.submissionSets]) removed.add(id);
  };

  const index: IniIndex = {
    ...view,
    get entryCount() {
      return entries.size;
    },
    planRegister: (submission) => planRegister(submission, view),
    planUpdate: (submission) => planUpdate(submission, view),
    planRemove: (uuids) => planRemove(uuids, view, removed),
    commitWrite(plan) {
      const again = plan.kind === 'register' ? planRegister(plan.submission, view) : planUpdate(plan.submission, view);
      if (again.kind === 'plan') write(again.plan);
      return again;
    },
    commitRemove(plan) {
      const again = planRemove(plan.requested, view, removed);
      if (again.kind === 'plan') remove(again.plan);
      return again;
    },
    clear() {
      entries.clear();
      byUniqueId.clear();
      submissionSets.clear();
      associations.clear();
      removed.clear();
    },
  };
  return index;
}

/**
 * INI's delete: the listed objects (INI callers list DocumentEntry versions only), every Association that references
 * a removed object, and SubmissionSets left without members. UUIDs already removed are an identical resend
 * (Success); UUIDs never indexed are `UnresolvedReferenceException`. See: xds-ini digest 4.6, pitfall 23.
 */
function planRemove(uuids: readonly EntryUuid[], view: IniIndexView, removed: ReadonlySet<string>): Planned<RemovePlan> {
  const unknown = uuids.filter((id) => !view.entry(id) && !view.association(id) && !view.submissionSet(id) && !removed.has(id));
  if (unknown.length > 0) {
    return { kind: 'errors', errors: unknown.map((id) => ({ code: 'UnresolvedReferenceException', codeContext: `${id} is not in the INI index`, location: id, severity: 'Error' })) };
  }
  const live = uuids.filter((id) => !removed.has(id));
  if (live.length === 0) return { kind: 'already' };
  const entryIds = live.filter((id) => view.entry(id));
  const associationIds = new Set(live.filter((id) => view.association(id)));
  for (const a of view.associationsOf(live)) associationIds.add(a.entryUuid);
  const submissionSetIds = new Set(live.filter((id) => view.submissionSet(id)));
  for (const a of view.associationsOf(entryIds)) {
    if (a.type !== 'HasMember' || !view.submissionSet(a.sourceUuid)) continue;
    const members = view.associationsOf([a.sourceUuid]).filter((m) => m.type === 'HasMember' && m.sourceUuid === a.sourceUuid);
    if (members.every((m) => associationIds.has(m.entryUuid))) submissionSetIds.add(a.sourceUuid);
  }
  const byPatient = new Map<string, EntryUuid[]>();
  for (const id of entryIds) {
    const patient = view.entry(id)?.patientId ?? '';
    byPatient.set(patient, [...(byPatient.get(patient) ?? []), id]);
  }
  return {
    kind: 'plan',
    plan: {
      entries: entryIds, associations: [...associationIds] as EntryUuid[], submissionSets: [...submissionSetIds] as EntryUuid[],
      entriesByPatient: byPatient, requested: uuids,
    },
  };
}
