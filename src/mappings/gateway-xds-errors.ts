import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { XDS_ERROR_CODES, type XdsErrorCode } from '../errors/xds-codes.js';
import { projectRoot } from './value-sets.js';

/**
 * The table `mappings/gateway-errors-to-xds.json`: national Gateway problem types and HTTP statuses -> XDS error
 * codes, loaded and checked once (every code must be in the XDS error table). See: xds-ini digest 9.
 */
export interface GatewayXdsErrors {
  codeOf(answer: { readonly status: number; readonly type?: string }, fallback: XdsErrorCode): XdsErrorCode;
}

const code = z.string().refine((c): c is XdsErrorCode => c in XDS_ERROR_CODES, 'not an XDS error code of src/errors/xds-codes.ts');
const Schema = z.strictObject({ $comment: z.string().min(1), byType: z.record(z.string(), code), byStatus: z.record(z.string().regex(/^\d{3}$/), code) });

export function readGatewayXdsErrors(file = path.join(projectRoot, 'mappings', 'gateway-errors-to-xds.json')): GatewayXdsErrors {
  const parsed = Schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid mapping file ${file}: ${z.prettifyError(parsed.error)}`);
  const { byType, byStatus } = parsed.data as { byType: Record<string, XdsErrorCode>; byStatus: Record<string, XdsErrorCode> };
  return {
    codeOf: (answer, fallback) => (answer.type !== undefined ? byType[answer.type] : undefined) ?? byStatus[String(answer.status)] ?? fallback,
  };
}

let cached: GatewayXdsErrors | undefined;

export function gatewayXdsErrors(): GatewayXdsErrors {
  cached ??= readGatewayXdsErrors();
  return cached;
}
