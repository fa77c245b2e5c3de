import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parsePemBundle } from '../jwt/trust-store.js';
import type { SamlTrustedSigner } from './saml-trust-store.js';

/**
 * `FSE_SAML_TRUST`: the JSON file that binds each pinned signer certificate to the Issuers it may sign for (INI's to
 * `000`, a hospital's to its region's code), read and checked once at start. A certificate alone says nothing about
 * whom it speaks for: with a bare PEM bundle, any trusted hospital could sign as INI (`000`) and have its ITI-62
 * applied as INI's delete message, so the old bundle is refused rather than read with every signer unbound.
 * See: xds-ini digest 2.6 ("validate the assertion signature against INI's certificate(s)"), 7.6 ("certificate
 * trusted and matching the expected issuer").
 */

const FileSchema = z.strictObject({
  $comment: z.string().optional(),
  signers: z.array(z.strictObject({
    /** PEM file of one signature certificate, relative to the binding file (or absolute). */
    certificate: z.string().trim().min(1, 'a certificate file is required'),
    issuers: z.array(z.string().trim().min(1, 'an issuer cannot be empty')).min(1, 'every signer lists at least one issuer'),
  })).min(1, 'at least one signer is required'),
});

/** The one-line description of the format, for the refusal of anything else. */
export const SAML_TRUST_FORMAT = 'a JSON file {"signers": [{"certificate": "ini.pem", "issuers": ["000"]}, ...]} binding each signer '
  + 'certificate (path relative to the file) to the Issuers it may sign for';

/** A binding file's signer, as {@link samlTrustFileJson} writes it. */
export interface SamlTrustBinding {
  readonly certificate: string;
  readonly issuers: readonly string[];
}

/** The text of a binding file (for the writers of one: `start --dev`, the demo, tests). */
export function samlTrustFileJson(signers: readonly SamlTrustBinding[], comment?: string): string {
  return `${JSON.stringify({ ...(comment ? { $comment: comment } : {}), signers }, null, 2)}\n`;
}

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(file)'}: ${i.message}`).join('; ');
}

/**
 * Reads a binding file and its certificates. Every problem is one line naming the file: a PEM bundle (the format
 * before Issuer binding), JSON that is not the schema, a signer with no issuers, a certificate file that is missing,
 * holds no certificate or more than one, or a certificate listed twice.
 */
export function loadSamlTrustFile(file: string): SamlTrustedSigner[] {
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    if (text.includes('-----BEGIN')) {
      throw new Error(`FSE_SAML_TRUST ${file} is a PEM bundle, which binds no signer to an Issuer: it must now be ${SAML_TRUST_FORMAT}`);
    }
    throw new Error(`FSE_SAML_TRUST ${file} is not JSON (${(err as Error).message}): it must be ${SAML_TRUST_FORMAT}`);
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`FSE_SAML_TRUST ${file} is invalid: ${issuesOf(parsed.error)}`);
  const signers: SamlTrustedSigner[] = [];
  parsed.data.signers.forEach((binding, i) => {
    const where = `FSE_SAML_TRUST ${file}: signers.${i}.certificate ${binding.certificate}`;
    const certFile = path.resolve(path.dirname(file), binding.certificate);
    let pem: string;
    try {
      pem = readFileSync(certFile, 'utf8');
    } catch (err) {
      throw new Error(`${where} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const certificates = parsePemBundle(pem, where);
    // One pinned certificate per signer: a chain or a bundle would pin its CA as a signer of the same Issuers.
    const [certificate] = certificates;
    if (certificates.length !== 1 || !certificate) throw new Error(`${where} holds ${certificates.length} certificates; list each signer certificate once`);
    const twice = signers.find((s) => s.certificate.raw.equals(certificate.raw));
    if (twice) throw new Error(`${where} is listed twice: give it one entry with all its issuers`);
    signers.push({ certificate, issuers: Object.freeze([...new Set(binding.issuers)]) });
  });
  return signers;
}
