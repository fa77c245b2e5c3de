import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { CITIZEN_OPENAPI_FILE } from './citizen/citizen-openapi.js';

const openapi = (file: string) => path.join(PROJECT_ROOT, 'openapi', file);

/** `GET /status` (liveness) and `GET /metrics` (Prometheus), as `src/rest/server.ts` answers them. */
export const BRIDGE_STATUS_OPENAPI_FILE = openapi('bridge-status.json');
/** The access log route of `src/rest/audit-route.ts`. */
export const AUDIT_OPENAPI_FILE = openapi('audit.json');
/** The rights operators' routes of `src/rest/citizen/rights-operator-routes.ts`. */
export const RIGHTS_OPERATOR_OPENAPI_FILE = openapi('rights-operator.json');
/** The operator console's API, as `docs/console-api.md` states it. */
export const CONSOLE_OPENAPI_FILE = openapi('console.json');

/** One of the bridge's own OpenAPI documents: `name` is its URL segment under `/docs/openapi/`. */
export interface BridgeOpenApiFile {
  readonly name: string;
  readonly file: string;
}

/** The bridge's own APIs, in the order the documentation page lists them (after the national contract). */
export const BRIDGE_OPENAPI_FILES: readonly BridgeOpenApiFile[] = [
  { name: 'bridge-status.json', file: BRIDGE_STATUS_OPENAPI_FILE },
  { name: 'audit.json', file: AUDIT_OPENAPI_FILE },
  { name: 'citizen.json', file: CITIZEN_OPENAPI_FILE },
  { name: 'rights-operator.json', file: RIGHTS_OPERATOR_OPENAPI_FILE },
  { name: 'console.json', file: CONSOLE_OPENAPI_FILE },
];
