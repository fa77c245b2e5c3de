import { isRightsOperator, mayManage } from '../../access/may-manage.js';
import type { ConsentRecord } from '../../domain/citizen-rights.js';
import { personKey, type PatientId } from '../../domain/ids.js';
import { audited, guardOf, recordCall, recordedByOf, refused, type RightsCall, type RightsDeps } from './citizen-call.js';

/** The consent in force as the APIs show it: `consultation` null when the region holds no record. */
export interface ConsentView {
  readonly patient: PatientId;
  readonly consultation: boolean | null;
  readonly recordedAt?: string;
  readonly recordedBy?: { readonly subject: string; readonly role: string; readonly channel: string };
}

const viewOf = (patient: PatientId, r: ConsentRecord | undefined): ConsentView => ({
  patient, consultation: r?.consultation ?? null,
  ...(r ? { recordedAt: r.recordedAt.toISOString(), recordedBy: { ...r.recordedBy } } : {}),
});

/**
 * `GET /v1/citizen/consent` and the operators' `GET /v1/consents/{patientId}`: the consultation consent in force.
 * The patient and whoever acts for them through a valid relation read it; so do the region's rights operators.
 * See: privacy digest 3.
 */
export async function readConsent(call: RightsCall, patient: PatientId, deps: RightsDeps): Promise<ConsentView> {
  return audited(call, deps, 'REST-consent-read', patient, async () => {
    if (!isRightsOperator(call.requester, deps.access.policy)) {
      const granted = await guardOf(call, deps).patient(patient);
      if (!granted.allowed) throw refused(granted);
    }
    const view = viewOf(patient, await deps.access.consents.current(personKey(patient)));
    await recordCall(call, deps, { transaction: 'REST-consent-read', patientId: patient, outcome: 'Success' });
    return view;
  });
}

/**
 * `PUT /v1/citizen/consent` and the operators' `PUT /v1/consents/{patientId}`: gives or withdraws the consultation
 * consent, recorded with who, when and the channel; the access decision reads the newest record from the next
 * request on (TREATMENT refused when withdrawn). Who may: `access/may-manage.ts`. See: privacy digest 3.
 */
export async function recordConsent(call: RightsCall, patient: PatientId, consultation: boolean, deps: RightsDeps): Promise<ConsentView> {
  return audited(call, deps, 'REST-consent-record', patient, async () => {
    const granted = await guardOf(call, deps).patient(patient);
    const may = mayManage(call.requester, 'consent', personKey(patient), granted, deps.access.policy);
    if (!may.allowed) throw refused(may);
    const record = await deps.access.consents.record(personKey(patient), consultation, recordedByOf(call));
    await recordCall(call, deps, { transaction: 'REST-consent-record', patientId: patient, outcome: 'Success' });
    return viewOf(patient, record);
  });
}
