import { changeVisibility, type ChangeVisibilityDeps } from '../../operations/change-visibility.js';
import { patientCxOf, recordCall, recordedByOf, type RightsCall, type RightsDeps } from '../../operations/citizen/citizen-call.js';
import { FseError } from '../../errors/fse-error.js';
import { jsonResponse, type MountedRequest } from '../mounted-route.js';
import type { RestResponse } from '../rest-types.js';
import { parseBody, VisibilityBody } from './rights-bodies.js';

/** What the obscuring route needs: the operation's dependencies, and the access log. */
export interface VisibilityDeps {
  readonly change: ChangeVisibilityDeps;
  readonly rights: RightsDeps;
}

const TRANSACTION = 'REST-visibility-change';

/**
 * `PUT .../documents/{uniqueId}/visibility` `{"obscured": bool}` (citizen API and rights operators): translates the
 * obscuring operation's outcome. 202 while the Gateway has not confirmed (the obscuring already applies locally),
 * 200 when nothing changed or it is confirmed, 404 for a document the requester may not see, 403 for one they see but
 * may not change (a delegate, a parent), 502 with the Gateway's words when it refused. See: docs/privacy.md.
 */
export async function visibilityResponse(call: RightsCall, req: MountedRequest, deps: VisibilityDeps): Promise<RestResponse> {
  const { obscured } = parseBody(VisibilityBody, req.body);
  const uniqueId = req.params.uniqueId ?? '';
  const result = await changeVisibility({ uniqueId, obscured, requester: call.requester, by: recordedByOf(call) }, call.ctx, deps.change);
  const patientId = call.requester.patient === undefined ? undefined : patientCxOf(call.requester.patient);
  const log = (outcome: 'Success' | 'Failure', errors: string[] = []) =>
    recordCall(call, deps.rights, { transaction: TRANSACTION, patientId, outcome, errors, ...(outcome === 'Success' ? { documentIds: [uniqueId] } : {}) });
  switch (result.outcome) {
    case 'not-found':
      await log('Failure', ['notFound']);
      throw new FseError('notFound', 'no such document among those the requester may see');
    case 'forbidden':
      await log('Failure', ['forbidden']);
      throw new FseError('forbidden', result.reason);
    case 'failed':
      await log('Failure', ['gatewayRefused']);
      throw new FseError('gatewayRefused', `the Gateway refused the change: ${result.reason}; the document stays obscured here`);
    case 'unchanged':
      return jsonResponse(200, { uniqueId, obscured: result.obscured, state: 'unchanged' }, req.ctx);
    case 'pending':
    case 'done': {
      await log('Success');
      const wid = result.workflowInstanceId ? { workflowInstanceId: result.workflowInstanceId } : {};
      return jsonResponse(result.outcome === 'pending' ? 202 : 200, { uniqueId, obscured: result.obscured, state: result.outcome, ...wid }, req.ctx);
    }
  }
}
