import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config.js';

/** The citizen API's OpenAPI document (`openapi/citizen.json`), read once, served at `/v1/citizen/openapi.json`. */
export const CITIZEN_OPENAPI_FILE = path.join(PROJECT_ROOT, 'openapi', 'citizen.json');

let cached: unknown;

export function citizenOpenApi(): unknown {
  cached ??= JSON.parse(readFileSync(CITIZEN_OPENAPI_FILE, 'utf8')) as unknown;
  return cached;
}
