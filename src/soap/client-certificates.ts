import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CallerIdentity } from '../domain/caller.js';

/**
 * The configured mapping of TLS client certificates to caller identities, for legacy hospital systems that
 * authenticate with a certificate and send no SAML assertion: the bridge then builds the Gateway's JWT claims from
 * this identity (certificate case 2). Read and checked once at boot (`FSE_SOAP_CLIENTS`). See: xds-ini digest 2.7, 8.3.
 */
export interface ClientCertificateMap {
  identityOf(fingerprint256: string): CallerIdentity | undefined;
  readonly size: number;
}

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

const text = z.string().min(1);
const FileSchema = z.strictObject({
  $comment: z.string().optional(),
  clients: z.array(z.strictObject({
    /** SHA-256 fingerprint, `AB:CD:...` (as `openssl x509 -fingerprint -sha256` prints it). */
    fingerprint256: z.string().transform((v) => v.toUpperCase()).pipe(z.string().regex(FINGERPRINT, 'not a SHA-256 fingerprint (AB:CD:...)')),
    name: text.optional(),
    identity: z.strictObject({
      subjectId: text.optional(),
      role: text.optional(),
      organizationId: text.optional(),
      organization: text.optional(),
      locality: text.optional(),
      applicationId: text.optional(),
      applicationVendor: text.optional(),
      applicationVersion: text.optional(),
    }),
  })),
});

export const NO_CLIENT_CERTIFICATES: ClientCertificateMap = { identityOf: () => undefined, size: 0 };

/** Loads a mapping file; throws naming the file and every problem. */
export function loadClientCertificates(file: string | undefined): ClientCertificateMap {
  if (file === undefined) return NO_CLIENT_CERTIFICATES;
  const parsed = FileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`invalid client certificate mapping ${file}: ${z.prettifyError(parsed.error)}`);
  const byFingerprint = new Map<string, CallerIdentity>();
  for (const client of parsed.data.clients) {
    if (byFingerprint.has(client.fingerprint256)) throw new Error(`${file}: fingerprint ${client.fingerprint256} listed twice`);
    byFingerprint.set(client.fingerprint256, { source: 'certificate', credentialId: client.fingerprint256, issuer: client.name, ...client.identity });
  }
  return { identityOf: (fp) => byFingerprint.get(fp.toUpperCase()), size: byFingerprint.size };
}
