import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { parsePemBundle } from '../jwt/trust-store.js';

/**
 * The key and certificate that sign outgoing assertions: the "signature" certificate, distinct from the TLS
 * "authentication" one. Loaded from PEM files or from a PKCS#12 keystore as the Gateway's `S1#...p12`.
 * See: xds-ini digest 2.7, 7.4 (Key), pitfall 19.
 */

/** A loaded signer: an RSA private key and the certificate published in KeyInfo (the leaf only, no chain). */
export interface SamlSigner {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** The certificate as PEM, as xml-crypto publishes it. */
  readonly certificatePem: string;
}

/** Where the signer comes from: a PEM certificate and key, or a PKCS#12 keystore and its password. */
export type SamlSignerSource =
  | {
    /** PEM of the signing certificate (a bundle is accepted; the certificate matching the key is used). */
    readonly certificatePem: string | Buffer;
    readonly privateKeyPem: string | Buffer;
    /** For an encrypted PEM key. */
    readonly passphrase?: string;
  }
  | {
    readonly pkcs12: Uint8Array;
    readonly password: string;
    /** Friendly name of the key entry; default: the first key, as the Gateway's "first alias". */
    readonly alias?: string;
  };

function rsaKey(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(`SAML signer: the key is ${key.asymmetricKeyType ?? 'not asymmetric'}; INI assertions are signed with RSA`);
  }
  return key;
}

function signerOf(privateKey: KeyObject, candidates: readonly X509Certificate[], source: string): SamlSigner {
  const certificate = candidates.find((cert) => cert.checkPrivateKey(privateKey));
  if (certificate === undefined) throw new Error(`SAML signer: no certificate in ${source} matches the private key`);
  return { privateKey, certificate, certificatePem: certificate.toString() };
}

/** PKCS#12 bag types. See: RFC 7292 4.2. */
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  certificate: '1.2.840.113549.1.12.10.1.3',
} as const;

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return p12.getBags({ bagType })[bagType] ?? [];
}

function fromPkcs12(der: Uint8Array, password: string, alias: string | undefined): SamlSigner {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  } catch (error) {
    throw new Error('SAML signer: the PKCS#12 keystore cannot be read (wrong password or corrupt file)', { cause: error });
  }
  const keyBags = [...bagsOf(p12, BAG.shroudedKey), ...bagsOf(p12, BAG.key)];
  const keyBag = alias === undefined ? keyBags[0] : keyBags.find((bag) => bag.attributes.friendlyName?.[0] === alias);
  if (keyBag?.key === undefined) {
    throw new Error(`SAML signer: the PKCS#12 keystore has no private key${alias === undefined ? '' : ` named ${alias}`}`);
  }
  const privateKey = rsaKey(createPrivateKey(forge.pki.privateKeyToPem(keyBag.key)));
  const certificates = bagsOf(p12, BAG.certificate).flatMap((bag) => (bag.cert ? [new X509Certificate(forge.pki.certificateToPem(bag.cert))] : []));
  return signerOf(privateKey, certificates, 'the PKCS#12 keystore');
}

/**
 * Loads the assertion signer and checks that certificate and key belong together.
 * @throws Error with a configuration message (wrong password, no matching certificate, not RSA).
 */
export function loadSamlSigner(source: SamlSignerSource): SamlSigner {
  if ('pkcs12' in source) return fromPkcs12(source.pkcs12, source.password, source.alias);
  const privateKey = rsaKey(createPrivateKey({ key: source.privateKeyPem, format: 'pem', passphrase: source.passphrase }));
  return signerOf(privateKey, parsePemBundle(source.certificatePem.toString(), 'SAML signer certificate'), 'the PEM bundle');
}
