import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mintGatewayTokens } from '../../jwt/mint-tokens.js';
import type { CliIo } from '../io.js';

/** The national validation-environment base URL, the `aud` the Gateway expects. See: Gateway API digest, 5.3. */
export const DEFAULT_AUDIENCE = 'https://modipa-val.fse.salute.gov.it/govway/rest/in/FSE/gateway/v1';

const USAGE = `usage: fse-bridge jwt --cert FILE --key FILE [--chain FILE] [--pdf FILE] [--claims FILE.json]
                      [--claim name=value ...] [--aud URL] [--action CREATE|UPDATE|DELETE] [--purpose VALUE]
                      [--lifetime SECONDS]
Prints the Authorization (Bearer) and FSE-JWT-Signature tokens, then curl -H arguments.`;

/** Claims whose JSON type is boolean: `--claim patient_consent=true` must not become the string "true". */
const BOOLEAN_CLAIMS = new Set(['patient_consent', 'use_subject_as_author']);

function parseClaim(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--claim ${text}: expected name=value`);
  const name = text.slice(0, eq);
  const value = text.slice(eq + 1);
  return [name, BOOLEAN_CLAIMS.has(name) && /^(true|false)$/.test(value) ? value === 'true' : value];
}

/**
 * `fse-bridge jwt`: mints the two Gateway JWTs with a signature certificate, as the Ministry's jwt-generator does.
 * Claims come from `--claims` (a JSON object), then `--claim name=value`, then `--action`/`--purpose`, later ones
 * winning. See: Gateway API digest, 5.3.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let values;
  let claims: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cert: { type: 'string' }, key: { type: 'string' }, chain: { type: 'string' }, pdf: { type: 'string' },
        claims: { type: 'string' }, claim: { type: 'string', multiple: true }, aud: { type: 'string' },
        action: { type: 'string' }, purpose: { type: 'string' }, lifetime: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    if (values.cert === undefined || values.key === undefined) throw new Error('--cert and --key are required');
    if (values.lifetime !== undefined && !/^[1-9][0-9]*$/.test(values.lifetime)) throw new Error('--lifetime must be a positive integer');
    claims = Object.fromEntries((values.claim ?? []).map(parseClaim));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const fromFile: unknown = values.claims !== undefined ? JSON.parse(readFileSync(values.claims, 'utf8')) : {};
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
      throw new Error(`${values.claims ?? ''} must contain a JSON object`);
    }
    claims = { ...(fromFile as Record<string, unknown>), ...claims };
    if (values.action !== undefined) claims.action_id = values.action;
    if (values.purpose !== undefined) claims.purpose_of_use = values.purpose;
    const tokens = await mintGatewayTokens({
      signerCertPem: readFileSync(values.cert, 'utf8'),
      signerKeyPem: readFileSync(values.key, 'utf8'),
      chainPem: values.chain !== undefined ? [readFileSync(values.chain, 'utf8')] : [],
      claims,
      pdf: values.pdf !== undefined ? readFileSync(values.pdf) : undefined,
      audience: values.aud ?? DEFAULT_AUDIENCE,
      // The official tool's default lifetime is 24 hours. See: Gateway API digest, 5.3 (`exp`).
      lifetimeSeconds: values.lifetime !== undefined ? Number(values.lifetime) : 86_400,
    });
    io.stdout(`Authorization: Bearer ${tokens.authorization}`);
    io.stdout(`FSE-JWT-Signature: ${tokens.signature}`);
    io.stdout('');
    io.stdout(`-H "Authorization: Bearer ${tokens.authorization}" -H "FSE-JWT-Signature: ${tokens.signature}"`);
    return 0;
  } catch (error) {
    io.stderr(`jwt failed: ${(error as Error).message}`);
    return 1;
  }
}
