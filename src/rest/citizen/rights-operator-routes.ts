import type express from 'express';
import type { PatientId } from '../../domain/ids.js';
import { FseError } from '../../errors/fse-error.js';
import type { Logger } from '../../logging/logger.js';
import { patientCxOf, type RightsDeps } from '../../operations/citizen/citizen-call.js';
import { createRelation } from '../../operations/citizen/create-relation.js';
import { listRelations } from '../../operations/citizen/list-relations.js';
import { readConsent, recordConsent } from '../../operations/citizen/patient-consent.js';
import { revokeRelation } from '../../operations/citizen/revoke-relation.js';
import { jsonResponse, mountedRoute, type MountedRequest } from '../mounted-route.js';
import type { RestResponse } from '../rest-types.js';
import { ConsentBody, endOf, parseBody, RelationBody, startOf } from './rights-bodies.js';
import { operatorCallOf, type RightsTokenDeps } from './rights-token.js';
import { visibilityResponse, type VisibilityDeps } from './visibility-response.js';

export interface RightsOperatorRouteDeps extends RightsTokenDeps {
  readonly rights: RightsDeps;
  readonly visibility: VisibilityDeps;
  readonly logger?: Logger;
}

export const RIGHTS_BASE = '/v1/rights';

const json = (status: number, body: object, req: MountedRequest): RestResponse => jsonResponse(status, body, req.ctx);

function patientParam(req: MountedRequest): PatientId {
  try {
    return patientCxOf(req.params.patientId ?? '');
  } catch {
    throw new FseError('invalidFormat', 'patientId must be a fiscal code or a CX: id^^^&OID&ISO');
  }
}

/**
 * The rights operators' API (`/v1/rights/...`), for the region's consent desk and console: the same operations as
 * the citizen API, the patient named in the path, the operator's token (OGC, purpose CONSENT, `rights-token.ts`).
 * Parents and guardians are recorded here only. See: privacy digest 3, 5; docs/privacy.md.
 */
export function mountRightsOperatorRoutes(deps: RightsOperatorRouteDeps): (app: express.Express) => void {
  const call = (req: MountedRequest) => operatorCallOf(req.headers, req.ctx, deps);
  const route = (handler: (req: MountedRequest) => Promise<RestResponse>, readBody = false) => mountedRoute(handler, deps.logger, { readBody });
  const patient = `${RIGHTS_BASE}/patients/:patientId`;
  return (app) => {
    app.get(`${patient}/consent`, route(async (req) => json(200, await readConsent(await call(req), patientParam(req), deps.rights), req)));
    app.put(`${patient}/consent`, route(async (req) => {
      const c = await call(req);
      const { consultation } = parseBody(ConsentBody, req.body);
      return json(200, await recordConsent(c, patientParam(req), consultation, deps.rights), req);
    }, true));
    app.get(`${patient}/relations`, route(async (req) => json(200, await listRelations(await call(req), patientParam(req), deps.rights), req)));
    app.post(`${patient}/relations`, route(async (req) => {
      const c = await call(req);
      const body = parseBody(RelationBody, req.body);
      const relation = await createRelation(c, {
        kind: body.kind, patient: patientParam(req), agent: body.delegate, documentTypes: body.documentTypes,
        from: startOf(body.from), ...(body.to ? { to: endOf(body.to) } : {}),
      }, deps.rights);
      return json(201, relation, req);
    }, true));
    app.delete(`${RIGHTS_BASE}/relations/:id`, route(async (req) => json(200, await revokeRelation(await call(req), req.params.id ?? '', deps.rights), req)));
    app.put(`${RIGHTS_BASE}/documents/:uniqueId/visibility`, route(async (req) => visibilityResponse(await call(req), req, deps.visibility), true));
  };
}
