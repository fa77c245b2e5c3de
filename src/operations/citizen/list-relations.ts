import { mayManage } from '../../access/may-manage.js';
import { personKey, type PatientId } from '../../domain/ids.js';
import { audited, guardOf, recordCall, refused, type RightsCall, type RightsDeps } from './citizen-call.js';
import { relationViewOf, type RelationView } from './relation-view.js';

export interface RelationsView {
  /** Who acts for the patient: every relation for the patient or their guardian and the operators, the requester's own otherwise. */
  readonly delegations: readonly RelationView[];
  /** For whom the requester acts (what a portal offers to switch to). */
  readonly actingFor: readonly RelationView[];
}

/**
 * `GET /v1/citizen/delegations` and the operators' `GET /v1/consents/{patientId}/relations`: the relations of a
 * patient, newest first, revoked and expired ones included (marked `active: false`), so the citizen sees the whole
 * history of who could act for them. A delegate sees only their own delegation. See: privacy digest 5.
 */
export async function listRelations(call: RightsCall, patient: PatientId, deps: RightsDeps, now: Date = new Date()): Promise<RelationsView> {
  return audited(call, deps, 'REST-relation-list', patient, async () => {
    const granted = await guardOf(call, deps).patient(patient);
    const manager = mayManage(call.requester, 'delegation', personKey(patient), granted, deps.access.policy).allowed;
    if (!manager && !granted.allowed) throw refused(granted);
    const subject = call.requester.subject;
    const all = await deps.access.relations.ofPatient(personKey(patient));
    const delegations = manager ? all : all.filter((r) => r.agent === subject);
    const actingFor = subject === undefined ? [] : await deps.access.relations.ofAgent(subject);
    await recordCall(call, deps, { transaction: 'REST-relation-list', patientId: patient, outcome: 'Success' });
    return { delegations: delegations.map((r) => relationViewOf(r, now)), actingFor: actingFor.map((r) => relationViewOf(r, now)) };
  });
}
