import { decodeSubmitObjectsRequest, encodeRegistryObjectList } from '../../ebxml/submit-objects-request.js';
import { decodeRemoveObjectsRequest, encodeRemoveObjectsRequest } from '../../ebxml/remove-objects-request.js';
import { EBXML_NS } from '../../ebxml/rim-read.js';
import { registryError } from '../../errors/xds-codes.js';
import type { SoapCaller } from '../../soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../metadata/vocabulary.js';
import type { SamlSigner } from '../../saml/saml-signer.js';
import { forwardAssertion, signTemplate } from './ini-assertions.js';
import type { Forwarder, ForwardMessage } from './ini-forwarder.js';
import type { IniIndex } from './ini-index.js';
import { registryReply, relayedErrors } from './ini-replies.js';
import type { IniHandler, IniReply } from './ini-soap-router.js';
import type { RegionDirectory } from './region-directory.js';
import type { Planned } from './ini-index-view.js';
import type { WritePlan } from './index-write-checks.js';

/**
 * INI's write services: ITI-42 (publish, replace), ITI-57 (metadata update) and INI delete. Each is checked against
 * the index, forwarded to the patient's RDA with INI's own assertion, and indexed once the RDA took it (or it is
 * queued for retry, see ini-forwarder.ts). The forwarded metadata carry INI's entryUUIDs, not symbolic ids, so that
 * the INI delete forwarded later names objects the RDA knows. See: xds-ini digest 1.2, 1.4 B-D and F, 4.2, 4.5-4.8.
 */

export interface IniHandlerDeps {
  readonly index: IniIndex;
  readonly regions: RegionDirectory;
  readonly forwarder: Forwarder;
  readonly caller: SoapCaller;
  readonly signer: SamlSigner;
}

/**
 * The forward's action-id: CREATE for a publication, UPDATE for a replacement (an RPLC in the ITI-42) and an ITI-57,
 * as digest 7.6 pairs them with the SOAP actions. See: xds-ini digest 7.3, 7.6.
 */
function actionIdOf(plan: WritePlan): 'CREATE' | 'UPDATE' {
  if (plan.kind === 'update') return 'UPDATE';
  return plan.submission.associations.some((a) => a.type === 'RPLC' || a.type === 'XFRM_RPLC') ? 'UPDATE' : 'CREATE';
}

async function forwardWrite(planned: Planned<WritePlan>, call: Parameters<IniHandler>[0], deps: IniHandlerDeps): Promise<IniReply> {
  if (planned.kind === 'errors') return registryReply('Failure', planned.errors);
  // An identical resend: INI already has it, and the RDA has it or has it queued. See: xds-ini digest pitfall 23.
  if (planned.kind === 'already') return registryReply('Success');
  const { plan } = planned;
  const region = deps.regions.rdaOf(plan.patientId);
  if (region === undefined) {
    return registryReply('Failure', [registryError('XDSUnknownPatientId', `INI knows no assisting region for ${plan.patientId}`, plan.patientId)]);
  }
  const template = forwardAssertion(call.saml, actionIdOf(plan), plan.patientId);
  const message: ForwardMessage = {
    kind: plan.kind === 'update' ? 'iti57' : 'iti42',
    action: plan.kind === 'update' ? SOAP_ACTION.iti57 : SOAP_ACTION.iti42,
    body: (parent) => void encodeRegistryObjectList(plan.submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')),
    assertion: () => signTemplate(template, deps.signer),
    summary: plan.submission.documents.map(({ entry }) => entry.uniqueId).join(', '),
  };
  const outcome = await deps.forwarder.forward(region, message);
  if (outcome.kind === 'refused') return registryReply('Failure', relayedErrors(outcome.errors));
  const committed = deps.index.commitWrite(plan);
  if (committed.kind === 'errors') return registryReply('Failure', committed.errors);
  return registryReply('Success');
}

/** ITI-42 Register Document Set-b. See: xds-ini digest 4.2, 4.7. */
export function iti42Register(deps: IniHandlerDeps): IniHandler {
  return (call) => forwardWrite(deps.index.planRegister(decodeSubmitObjectsRequest(call.envelope.body)), call, deps);
}

/** ITI-57 Update Document Set. See: xds-ini digest 4.5. */
export function iti57Update(deps: IniHandlerDeps): IniHandler {
  return (call) => forwardWrite(deps.index.planUpdate(decodeSubmitObjectsRequest(call.envelope.body)), call, deps);
}

/**
 * INI delete: the DocumentEntries (and their associations) leave the index, and each patient's RDA gets an INI delete
 * of the same DocumentEntry UUIDs. A patient INI knows no RDA for is deleted on INI alone. See: xds-ini digest 4.6.
 */
export function iniDelete(deps: IniHandlerDeps): IniHandler {
  return async (call) => {
    const planned = deps.index.planRemove(decodeRemoveObjectsRequest(call.envelope.body));
    if (planned.kind === 'errors') return registryReply('Failure', planned.errors);
    if (planned.kind === 'already') return registryReply('Success');
    for (const [patientId, uuids] of planned.plan.entriesByPatient) {
      const region = deps.regions.rdaOf(patientId);
      if (region === undefined) continue;
      const template = forwardAssertion(call.saml, 'DELETE', patientId);
      const outcome = await deps.forwarder.forward(region, {
        kind: 'delete', action: SOAP_ACTION.iniDelete, summary: uuids.join(', '),
        body: (parent) => encodeRemoveObjectsRequest(uuids, parent),
        assertion: () => signTemplate(template, deps.signer),
      });
      if (outcome.kind === 'refused') return registryReply('Failure', relayedErrors(outcome.errors));
    }
    const committed = deps.index.commitRemove(planned.plan);
    if (committed.kind === 'errors') return registryReply('Failure', committed.errors);
    return registryReply('Success');
  };
}
