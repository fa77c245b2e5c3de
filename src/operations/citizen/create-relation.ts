import { knownTypeCodes } from '../../access/access-policy.js';
import { mayManage } from '../../access/may-manage.js';
import { samePerson } from '../../access/requester.js';
import type { RelationKind } from '../../domain/citizen-rights.js';
import { personKey, type PatientId } from '../../domain/ids.js';
import { FseError } from '../../errors/fse-error.js';
import { audited, guardOf, recordCall, recordedByOf, refused, type RightsCall, type RightsDeps } from './citizen-call.js';
import { relationViewOf, type RelationView } from './relation-view.js';

export interface NewRelationRequest {
  readonly kind: RelationKind;
  readonly patient: PatientId;
  /** The person who will act for the patient: a fiscal code (bare or CX). */
  readonly agent: string;
  /** LOINC type codes the relation covers; absent means every type. */
  readonly documentTypes?: readonly string[];
  readonly from: Date;
  readonly to?: Date;
}

const TRANSACTION = 'REST-relation-create';

/**
 * Records that a person acts for a patient: a delegation the patient (or their guardian) gives through the citizen
 * API, or a parent's or guardian's relation a rights operator records. Refused with 422 what cannot hold (oneself as
 * delegate, an end before the start or in the past, a type code the region does not know) and with 409 a second
 * relation of the same kind for the same two persons while the first still holds or has yet to start: the region
 * would not know which one a revocation means. See: privacy digest 5.
 */
export async function createRelation(call: RightsCall, request: NewRelationRequest, deps: RightsDeps, now: Date = new Date()): Promise<RelationView> {
  const { patient, kind } = request;
  return audited(call, deps, TRANSACTION, patient, async () => {
    const granted = await guardOf(call, deps).patient(patient);
    const may = mayManage(call.requester, kind === 'delegate' ? 'delegation' : 'relation', personKey(patient), granted, deps.access.policy);
    if (!may.allowed) throw refused(may);
    const agent = personKey(request.agent);
    if (samePerson(agent, patient)) throw new FseError('unprocessable', 'a person cannot act for themselves');
    if (request.to !== undefined && request.to <= request.from) throw new FseError('unprocessable', '"to" must be after "from"');
    if (request.to !== undefined && request.to <= now) throw new FseError('unprocessable', '"to" is in the past: the relation would never hold');
    const unknown = (request.documentTypes ?? []).filter((t) => !knownTypeCodes().has(t));
    if (unknown.length > 0) throw new FseError('unprocessable', `unknown document type codes: ${unknown.join(', ')}`);
    const existing = (await deps.access.relations.between(agent, personKey(patient)))
      .find((r) => r.kind === kind && r.revokedAt === undefined && (r.validTo === undefined || r.validTo > now));
    if (existing) throw new FseError('conflict', `a ${kind} relation between these persons already holds (${existing.id}): revoke it first`);
    const relation = await deps.access.relations.create({
      kind, patient: personKey(patient), agent, validFrom: request.from, recordedBy: recordedByOf(call),
      ...(request.documentTypes ? { documentTypes: [...new Set(request.documentTypes)] } : {}),
      ...(request.to ? { validTo: request.to } : {}),
    });
    await recordCall(call, deps, { transaction: TRANSACTION, patientId: patient, outcome: 'Success' });
    return relationViewOf(relation, now);
  });
}
