import { mayManage } from '../../access/may-manage.js';
import { samePerson } from '../../access/requester.js';
import { FseError } from '../../errors/fse-error.js';
import { patientCxOf, audited, guardOf, recordCall, recordedByOf, type RightsCall, type RightsDeps } from './citizen-call.js';
import { relationViewOf, type RelationView } from './relation-view.js';

const TRANSACTION = 'REST-relation-revoke';

/**
 * `DELETE /v1/citizen/delegations/{id}` and the operators' relation revocation: stamps the relation revoked (it stays
 * in the record, the access log refers to it). The patient (or whoever manages their rights, `may-manage.ts`)
 * revokes; the delegate may renounce their own delegation. A relation the requester could not revoke is answered as
 * missing; one already revoked is 409. The next request of the former delegate is refused. See: privacy digest 5.
 */
export async function revokeRelation(call: RightsCall, id: string, deps: RightsDeps, now: Date = new Date()): Promise<RelationView> {
  return audited(call, deps, TRANSACTION, undefined, async () => {
    const missing = new FseError('notFound', 'no such relation among those the requester may revoke');
    const relation = await deps.access.relations.get(id);
    if (!relation) throw missing;
    const patient = patientCxOf(relation.patient);
    const renounce = relation.kind === 'delegate' && samePerson(call.requester.subject, relation.agent);
    if (!renounce) {
      const granted = await guardOf(call, deps).patient(patient);
      const right = relation.kind === 'delegate' ? 'delegation' : 'relation';
      if (!mayManage(call.requester, right, relation.patient, granted, deps.access.policy).allowed) throw missing;
    }
    if (relation.revokedAt !== undefined) throw new FseError('conflict', `the relation was revoked on ${relation.revokedAt.toISOString()}`);
    const revoked = await deps.access.relations.revoke(id, recordedByOf(call));
    if (!revoked) throw missing;
    await recordCall(call, deps, { transaction: TRANSACTION, patientId: patient, outcome: 'Success' });
    // Shown as of the revocation (the database's clock), whatever this process's clock says.
    return relationViewOf(revoked, revoked.revokedAt ?? now);
  });
}
