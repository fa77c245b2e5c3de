import type express from 'express';
import type { Logger } from '../../logging/logger.js';
import type { RightsDeps } from '../../operations/citizen/citizen-call.js';
import { patientOfCall } from '../../operations/citizen/citizen-call.js';
import { createRelation } from '../../operations/citizen/create-relation.js';
import { listCitizenDocuments } from '../../operations/citizen/list-citizen-documents.js';
import { listRelations } from '../../operations/citizen/list-relations.js';
import { readConsent, recordConsent } from '../../operations/citizen/patient-consent.js';
import { readCitizenDocument } from '../../operations/citizen/read-citizen-document.js';
import { revokeRelation } from '../../operations/citizen/revoke-relation.js';
import { jsonResponse, mountedRoute, type MountedRequest } from '../mounted-route.js';
import type { RestResponse } from '../rest-types.js';
import { ConsentBody, DelegationBody, endOf, parseBody, startOf } from './rights-bodies.js';
import { citizenOpenApi } from './citizen-openapi.js';
import { citizenCallOf, type RightsTokenDeps } from './rights-token.js';
import { visibilityResponse, type VisibilityDeps } from './visibility-response.js';

export interface CitizenRouteDeps extends RightsTokenDeps {
  readonly rights: RightsDeps;
  readonly visibility: VisibilityDeps;
  readonly logger?: Logger;
}

export const CITIZEN_BASE = '/v1/citizen';

/**
 * The citizen API, the backend of the region's portal (`/v1/citizen/...`): it only translates, the operations in
 * `operations/citizen/` decide and record. Every route takes the citizen's Bearer token (`rights-token.ts`); the
 * answers and errors are described by `/v1/citizen/openapi.json`. See: docs/privacy.md (the citizen API).
 */
export function mountCitizenRoutes(deps: CitizenRouteDeps): (app: express.Express) => void {
  const call = (req: MountedRequest) => citizenCallOf(req.headers, req.ctx, deps);
  const route = (handler: (req: MountedRequest) => Promise<RestResponse>, readBody = false) => mountedRoute(handler, deps.logger, { readBody });
  return (app) => {
    app.get(`${CITIZEN_BASE}/openapi.json`, route(async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: citizenOpenApi() })));
    app.get(`${CITIZEN_BASE}/documents`, route(async (req) => {
      const documents = await listCitizenDocuments(await call(req), req.query.patient, deps.rights);
      return jsonResponse(200, { documents }, req.ctx);
    }));
    app.get(`${CITIZEN_BASE}/documents/:uniqueId/content`, route(async (req) => {
      const content = await readCitizenDocument(await call(req), req.params.uniqueId ?? '', deps.rights);
      return { status: 200, headers: { 'content-type': content.mimeType, 'cache-control': 'no-store' }, body: Buffer.from(content.bytes) };
    }));
    app.put(`${CITIZEN_BASE}/documents/:uniqueId/visibility`, route(async (req) => visibilityResponse(await call(req), req, deps.visibility), true));
    app.get(`${CITIZEN_BASE}/consent`, route(async (req) => {
      const c = await call(req);
      return jsonResponse(200, await readConsent(c, patientOfCall(c), deps.rights), req.ctx);
    }));
    app.put(`${CITIZEN_BASE}/consent`, route(async (req) => {
      const c = await call(req);
      const { consultation } = parseBody(ConsentBody, req.body);
      return jsonResponse(200, await recordConsent(c, patientOfCall(c), consultation, deps.rights), req.ctx);
    }, true));
    app.get(`${CITIZEN_BASE}/delegations`, route(async (req) => {
      const c = await call(req);
      return jsonResponse(200, await listRelations(c, patientOfCall(c), deps.rights), req.ctx);
    }));
    app.post(`${CITIZEN_BASE}/delegations`, route(async (req) => {
      const c = await call(req);
      const body = parseBody(DelegationBody, req.body);
      const relation = await createRelation(c, {
        kind: 'delegate', patient: patientOfCall(c), agent: body.delegate, documentTypes: body.documentTypes,
        from: startOf(body.from), to: endOf(body.to),
      }, deps.rights);
      return jsonResponse(201, relation, req.ctx);
    }, true));
    app.delete(`${CITIZEN_BASE}/delegations/:id`, route(async (req) => jsonResponse(200, await revokeRelation(await call(req), req.params.id ?? '', deps.rights), req.ctx)));
  };
}
