import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

/**
 * A development PKI that mimics what the Ministry/Sogei CA issues to an FSE 2.0 actor: one authentication
 * certificate (TLS client only) and one signature certificate (signs both JWTs only), plus a localhost server
 * certificate for the bridge's own TLS. Never for production. See: Gateway API digest, 1.4 and 5.1.
 */

/** Password of `sign.p12`. A development secret, printed by `fse-bridge certs init`. */
export const DEV_P12_PASSWORD = 'fse-bridge-dev';

/** Options of {@link createDevPki}. */
export interface DevPkiOptions {
  /** Common Name of the producer's certificates; `iss` becomes `auth:<cn>` / `integrity:<cn>`. */
  readonly cn?: string;
  /** 3-digit organization (region) code used in the default CN. See: Gateway API digest, 10.7. */
  readonly orgCode?: string;
}

/** Paths of the files of a development PKI. */
export interface DevPki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly authCert: string;
  readonly authKey: string;
  readonly signCert: string;
  readonly signKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly signP12: string;
  /** Files written by this call (empty when everything was already there). */
  readonly created: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The default producer CN, shaped like the Ministry's (`S1#` + region code + facility digits + `XX`). */
export function defaultProducerCn(orgCode = '120'): string {
  return `S1#${orgCode}201234567XX`;
}

function newKeyPem(): string {
  // node:crypto is much faster than forge's JS RSA generation; PKCS#8 is what jose and node:crypto read.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
}

interface CertSpec {
  readonly subject: forge.pki.CertificateField[];
  readonly extensions: object[];
  readonly years: number;
}

/**
 * A random 128-bit serial that DER-encodes as a positive, minimal INTEGER: the leading byte is 0x01-0x7f. (A leading
 * zero nibble padded by forge gave a 0x00 byte before one below 0x80, which OpenSSL refuses as non-minimal: about
 * one certificate in 130 failed to parse, and a test run now and then with it.) See: RFC 5280 4.1.2.2.
 */
export function positiveSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function issue(spec: CertSpec, issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }): Issued {
  const keyPem = newKeyPem();
  const privateKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  cert.serialNumber = positiveSerial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + spec.years * 365 * DAY_MS);
  cert.setSubject(spec.subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : spec.subject);
  cert.setExtensions([...spec.extensions, { name: 'subjectKeyIdentifier' }]);
  cert.sign(issuer ? issuer.key : privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

const org = (cn: string): forge.pki.CertificateField[] => [
  { name: 'countryName', value: 'IT' },
  { name: 'organizationName', value: 'FSE Bridge development' },
  { name: 'commonName', value: cn },
];

/**
 * Creates (or completes) a development PKI in `dir`: `ca.pem`/`ca-key.pem`, `auth.pem`/`auth-key.pem` (clientAuth),
 * `sign.pem`/`sign-key.pem` (digitalSignature, nonRepudiation), `server.pem`/`server-key.pem` (localhost) and
 * `sign.p12` (password {@link DEV_P12_PASSWORD}). Idempotent: existing files are kept, and missing leaves are issued by
 * the existing CA. RSA 2048, SHA-256.
 */
export function createDevPki(dir: string, options: DevPkiOptions = {}): DevPki {
  mkdirSync(dir, { recursive: true });
  const p = (name: string) => path.join(dir, name);
  const pki: Omit<DevPki, 'created'> = {
    dir, caCert: p('ca.pem'), caKey: p('ca-key.pem'), authCert: p('auth.pem'), authKey: p('auth-key.pem'),
    signCert: p('sign.pem'), signKey: p('sign-key.pem'), serverCert: p('server.pem'), serverKey: p('server-key.pem'),
    signP12: p('sign.p12'),
  };
  const created: string[] = [];
  const write = (file: string, content: string | Uint8Array) => {
    writeFileSync(file, content, { mode: 0o600 });
    created.push(file);
  };
  const cn = options.cn ?? defaultProducerCn(options.orgCode);

  if (!existsSync(pki.caCert) || !existsSync(pki.caKey)) {
    const ca = issue({
      subject: org('FSE Bridge Development CA'),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
      years: 10,
    });
    write(pki.caCert, ca.certPem);
    write(pki.caKey, ca.keyPem);
  }
  const issuer = {
    cert: forge.pki.certificateFromPem(readFileSync(pki.caCert, 'utf8')),
    key: forge.pki.privateKeyFromPem(readFileSync(pki.caKey, 'utf8')) as forge.pki.rsa.PrivateKey,
  };
  const leaves: [string, string, CertSpec][] = [
    [pki.authCert, pki.authKey, {
      subject: org(cn),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
      years: 2,
    }],
    [pki.signCert, pki.signKey, {
      subject: org(cn),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      ],
      years: 2,
    }],
    [pki.serverCert, pki.serverKey, {
      subject: org('localhost'),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
      ],
      years: 2,
    }],
  ];
  for (const [certFile, keyFile, spec] of leaves) {
    if (existsSync(certFile) && existsSync(keyFile)) continue;
    const leaf = issue(spec, issuer);
    write(certFile, leaf.certPem);
    write(keyFile, leaf.keyPem);
  }
  if (!existsSync(pki.signP12) || created.includes(pki.signCert)) {
    write(pki.signP12, toP12(readFileSync(pki.signKey, 'utf8'), readFileSync(pki.signCert, 'utf8'), issuer.cert));
  }
  return { ...pki, created };
}

function toP12(keyPem: string, certPem: string, caCert: forge.pki.Certificate): Uint8Array {
  const key = forge.pki.privateKeyFromPem(keyPem);
  // 3DES keeps the file readable by older Java keytools as well as OpenSSL 3.
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [forge.pki.certificateFromPem(certPem), caCert], DEV_P12_PASSWORD, {
    algorithm: '3des',
    friendlyName: 'signature',
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
