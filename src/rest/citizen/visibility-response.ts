import type { RightsCall } from '../../operations/citizen/citizen-call.js';
import { jsonResponse, type MountedRequest } from '../mounted-route.js';
import type { RestResponse } from '../rest-types.js';
import { parseBody, VisibilityBody } from './rights-bodies.js';

/** The obscuring operation as the doors call it (composed in `app.ts`). */
export interface VisibilityDeps {
  change(call: RightsCall, uniqueId: string, obscured: boolean): Promise<VisibilityAnswer>;
}

export interface VisibilityAnswer {
  readonly state: 'unchanged' | 'pending' | 'done';
  readonly obscured: boolean;
  readonly workflowInstanceId?: string;
}

/** `PUT .../documents/{uniqueId}/visibility`: 202 while the upstream update is pending, 200 otherwise. */
export async function visibilityResponse(call: RightsCall, req: MountedRequest, deps: VisibilityDeps): Promise<RestResponse> {
  const { obscured } = parseBody(VisibilityBody, req.body);
  const uniqueId = req.params.uniqueId ?? '';
  const answer = await deps.change(call, uniqueId, obscured);
  return jsonResponse(answer.state === 'pending' ? 202 : 200, { uniqueId, ...answer }, req.ctx);
}
