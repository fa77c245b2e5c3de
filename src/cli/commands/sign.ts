import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import forge from 'node-forge';
import { isFseError } from '../../errors/fse-error.js';
import type { SigningCredentials } from '../../pdf/cades-signer.js';
import { signPdf } from '../../pdf/pades-sign.js';
import { verifyPdfSignatures } from '../../pdf/pades-verify.js';
import { parseStringOptions, type CliIo } from '../io.js';

/**
 * `fse-bridge sign`: signs a PDF (PAdES, ETSI.CAdES.detached) the way the official tool does, so that development
 * producers can publish what the Gateway accepts. Sign after validation and after injecting the CDA.
 * See: Gateway API digest, 6.4 (and its FAQ).
 */

const USAGE = `Usage: fse-bridge sign --pdf FILE (--cert FILE --key FILE [--chain FILE] | --p12 FILE --password P) [--out FILE]

Appends a PAdES signature (SHA-256, signing-certificate-v2, Reason "Firma Digitale") as an incremental update.
  --pdf FILE       the PDF to sign (required)
  --cert FILE      the signer certificate (PEM), with --key FILE its private key (PEM)
  --chain FILE     intermediate certificates (PEM) to include in the signature
  --p12 FILE       a PKCS#12 keystore instead of --cert/--key, with --password P (fse-bridge certs init writes sign.p12)
  --reason TEXT    signature reason; default "Firma Digitale"
  --out FILE       where to write the result; default: <pdf name>.signed.pdf beside the PDF
`;

interface Options {
  pdf?: string; cert?: string; key?: string; chain?: string; p12?: string; password?: string; reason?: string; out?: string;
}

/** Runs the command. Exit codes: 0 written, 1 failure (unreadable file, wrong key, not a PDF, ...), 2 usage error. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const values: Options | number = parseStringOptions(argv, ['pdf', 'cert', 'key', 'chain', 'p12', 'password', 'reason', 'out'], USAGE, io);
  if (typeof values === 'number') return values;
  const usageError = checkUsage(values);
  if (usageError) {
    io.stderr(`${usageError}\n${USAGE}`);
    return 2;
  }
  const pdfPath = values.pdf as string;
  const out = values.out ?? defaultOut(pdfPath);
  try {
    const credentials = values.p12
      ? credentialsFromP12(await readFile(values.p12), values.password ?? '')
      : {
        certPem: await readFile(values.cert as string, 'utf8'),
        keyPem: await readFile(values.key as string, 'utf8'),
        ...(values.chain ? { chainPem: await readFile(values.chain, 'utf8') } : {}),
      };
    const pdf = await readFile(pdfPath);
    const signed = await signPdf(pdf, { ...credentials, ...(values.reason ? { reason: values.reason } : {}) });
    // Self-check with the Gateway's publication rule, so a file that would get /msg/sign-error never leaves here.
    await verifyPdfSignatures(signed);
    await writeFile(out, signed);
    io.stdout(`Wrote ${out} (${signed.length} bytes, PAdES ETSI.CAdES.detached, incremental update of ${pdf.length} bytes)\n`);
    return 0;
  } catch (err) {
    const message = isFseError(err) ? `${err.code}: ${err.detail}` : err instanceof Error ? err.message : String(err);
    io.stderr(`sign failed: ${message}\n`);
    return 1;
  }
}

function checkUsage(values: Options): string | undefined {
  if (!values.pdf) return 'Missing --pdf.';
  if (values.p12) {
    if (values.cert || values.key || values.chain) return 'Give either --p12 or --cert/--key, not both.';
    if (values.password === undefined) return 'Missing --password for --p12.';
    return undefined;
  }
  if (!values.cert || !values.key) return 'Missing --cert and --key (or --p12 and --password).';
  return undefined;
}

/** PKCS#12 bag types (RFC 7292, 4.2). */
const P12_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const P12_CERT_BAG = '1.2.840.113549.1.12.10.1.3';

/**
 * The key, its certificate and the other certificates of a PKCS#12 keystore, as PEM.
 * @throws Error for a wrong password or a keystore without key or certificate.
 */
export function credentialsFromP12(der: Uint8Array, password: string): SigningCredentials {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  const keyBag = p12.getBags({ bagType: P12_KEY_BAG })[P12_KEY_BAG]?.[0];
  const certs = (p12.getBags({ bagType: P12_CERT_BAG })[P12_CERT_BAG] ?? [])
    .flatMap((bag): forge.pki.Certificate[] => (bag.cert ? [bag.cert] : []));
  if (!keyBag?.key) throw new Error('the PKCS#12 keystore holds no private key');
  const key = keyBag.key;
  // The signer certificate is the one whose public key matches the private key; the rest form the chain.
  const modulus = (key as forge.pki.rsa.PrivateKey).n;
  const leaf = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(modulus));
  if (!leaf) throw new Error('the PKCS#12 keystore holds no certificate for its private key');
  const chain = certs.filter((c) => c !== leaf).map((c) => forge.pki.certificateToPem(c)).join('');
  return {
    certPem: forge.pki.certificateToPem(leaf),
    keyPem: forge.pki.privateKeyToPem(key),
    ...(chain ? { chainPem: chain } : {}),
  };
}

function defaultOut(input: string): string {
  const parsed = path.parse(input);
  return path.join(parsed.dir, `${parsed.name}.signed.pdf`);
}
