import { createHash, createPrivateKey, sign as signBytes, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { Signer } from '@signpdf/signpdf';

/**
 * The CMS of a PAdES baseline signature (SubFilter ETSI.CAdES.detached), built with pkijs: detached SignedData over
 * the PDF's byte range, SHA-256, signed attributes content-type, message-digest and signing-certificate-v2, no
 * signing-time (PAdES puts the time in the signature dictionary's /M). See: Gateway API digest, 6.4 ("Official tool
 * signature profile"); ETSI EN 319 142-1, 5.3 and 6.3; RFC 5035 (signing-certificate-v2).
 */

/** PEM material of a signer. */
export interface SigningCredentials {
  /** the signer's certificate */
  readonly certPem: string;
  /** its private key (PKCS#8 or PKCS#1/SEC1 PEM), RSA or EC */
  readonly keyPem: string;
  /** intermediate (and optionally root) certificates, concatenated PEM, added to the CMS certificate set */
  readonly chainPem?: string;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** The DER of each certificate of a concatenated PEM text, in order. */
export function pemCertificates(pem: string): Uint8Array[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const base64 = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    return new Uint8Array(Buffer.from(base64, 'base64'));
  });
}

/**
 * Builds the DER ContentInfo (SignedData) of a CAdES detached signature over `content`.
 * @throws Error when the certificate PEM holds no certificate or the key is neither RSA nor EC.
 */
export function createCadesSignature(content: Uint8Array, credentials: SigningCredentials): Uint8Array {
  const [leafDer] = pemCertificates(credentials.certPem);
  if (!leafDer) throw new Error('the signer certificate PEM holds no certificate');
  const leaf = pkijs.Certificate.fromBER(toArrayBuffer(leafDer));
  const chain = pemCertificates(credentials.chainPem ?? '').map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der)));
  const key = createPrivateKey(credentials.keyPem);
  const signatureAlgorithm = signatureAlgorithmOf(key);
  const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });

  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: sortedForDer([
      attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
      attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest(content) })),
      attribute(OID.signingCertificateV2, signingCertificateV2(leaf, leafDer)),
    ]),
  });
  // The signature covers the attributes' DER with the SET OF tag, not the [0] IMPLICIT tag they carry in SignerInfo
  // (RFC 5652, 5.4).
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31;
  const signature = signBytes('sha256', toSign, key);

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
    digestAlgorithm: sha256,
    signedAttrs,
    signatureAlgorithm,
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [leaf, ...chain],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}

/**
 * The @signpdf `Signer` that produces {@link createCadesSignature}: `@signpdf/signpdf` hands it the PDF without the
 * /Contents placeholder, i.e. exactly the /ByteRange bytes.
 */
export class CadesSigner extends Signer {
  constructor(private readonly credentials: SigningCredentials) {
    super();
  }

  override sign(pdfBuffer: Buffer): Promise<Buffer> {
    return Promise.resolve(Buffer.from(createCadesSignature(pdfBuffer, this.credentials)));
  }
}

function signatureAlgorithmOf(key: KeyObject): pkijs.AlgorithmIdentifier {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
  // node:crypto signs ECDSA in DER, the form CMS expects (RFC 5753, 7.2).
  if (type === 'ec') return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
  throw new Error(`unsupported signing key type ${type ?? 'unknown'}: RSA or EC expected`);
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, one ESSCertIDv2 with the default hash
 * algorithm (SHA-256, so omitted), the certificate hash and IssuerSerial (issuer as a directoryName GeneralName).
 * See: RFC 5035, 3.
 */
function signingCertificateV2(leaf: pkijs.Certificate, leafDer: Uint8Array): asn1js.Sequence {
  const issuer = new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: leaf.issuer })] });
  const issuerSerial = new asn1js.Sequence({ value: [issuer.toSchema(), leaf.serialNumber] });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: digest(leafDer) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/**
 * DER orders a SET OF by the encodings of its members (X.690, 11.6). Verifiers such as OpenSSL re-encode the signed
 * attributes before checking the signature, so an unsorted set would not verify there.
 */
function sortedForDer(attributes: pkijs.Attribute[]): pkijs.Attribute[] {
  const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }));
  return encoded.sort((x, y) => Buffer.compare(x.der, y.der)).map(({ a }) => a);
}

function digest(bytes: Uint8Array): ArrayBuffer {
  return toArrayBuffer(createHash('sha256').update(bytes).digest());
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
