import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { createAuditLog, type AuditLog } from './audit/index.js';
import type { Config } from './config.js';
import { FISCAL_CODE_OID } from './domain/ids.js';
import { valueSets } from './mappings/value-sets.js';
import type { RegionIdentity } from './metadata/submission-to-gateway.js';
import { auditedIniClient } from './ini/audited-ini-client.js';
import type { RegionAssertionDefaults } from './ini/ini-assertion.js';
import { createIniClient, type IniClient } from './ini/ini-client.js';
import { iniServiceUrls } from './ini/ini-services.js';
import { createSoapCaller } from './soap-wire/soap-client.js';
import type { Logger } from './logging/logger.js';
import { loadSamlSigner, type SamlSigner } from './saml/saml-signer.js';
import type { SamlTrustedSigner } from './saml/saml-trust-store.js';
import { INI_ISSUER, samlVerifier } from './soap/saml-verifier.js';
import type { SoapSecurityPolicy } from './soap/soap-security.js';
import { createAssistedPatientStore, type AssistedPatientStore } from './stores/assisted-patient-store.js';

/**
 * The federation's parts, composed once from the configuration (STYLE rule 11): the access log, the region's
 * assisted patients, the SAML signer and the inbound verifier, and the INI client (only when INI is configured).
 * See: xds-ini digest 1, 2.6-2.8, 7.
 */
export interface Federation {
  readonly audit: AuditLog;
  readonly patients: AssistedPatientStore;
  readonly ini?: IniClient;
  readonly verify?: SoapSecurityPolicy['verify'];
  readonly assertionDefaults?: RegionAssertionDefaults;
  close(): Promise<void>;
}

const read = (file: string) => readFileSync(file, 'utf8');

function signerOf(config: Config): SamlSigner | undefined {
  const files = config.saml.signer ?? config.regionSigner;
  return files ? loadSamlSigner({ certificatePem: read(files.certFile), privateKeyPem: read(files.keyFile) }) : undefined;
}

/** The region's facility XON when the operator's identity names none. See: xds-ini digest 3.7 (XON). */
export function regionLocality(region: RegionIdentity): string {
  return `${region.name.toUpperCase()}^^^^^&2.16.840.1.113883.2.9.4.1.1&ISO^^^^${region.code}`;
}

/**
 * @param trustedSigners the SOAP front door's pinned signers, each bound to its Issuers (`loadSamlTrustFile` of
 *   `FSE_SAML_TRUST`); without them inbound assertions are not verified (a process with no front door, or `none`).
 */
export function createFederation(
  config: Config, region: RegionIdentity, pool: pg.Pool, logger: Logger, trustedSigners?: readonly SamlTrustedSigner[],
): Federation {
  const audit = createAuditLog(pool);
  const patients = createAssistedPatientStore(pool);
  const issuers = config.saml.issuers ?? [INI_ISSUER, ...valueSets().organizations.map((o) => o.code)];
  const verify = trustedSigners && samlVerifier({
    trustedSigners, allowedIssuers: issuers, audience: config.saml.audience, clockSkewSeconds: config.saml.clockSkewSeconds, allowSha1: config.saml.allowSha1,
  });
  const signer = signerOf(config);
  const assertionDefaults = signer && {
    ...region, locality: config.regionLocality ?? regionLocality(region), signer,
    systemSubject: `FSEBRIDGE${region.code}^^^&${FISCAL_CODE_OID}&ISO`,
  };
  let ini: IniClient | undefined;
  if (config.ini) {
    if (!assertionDefaults) throw new Error('INI_URL needs a SAML signer: FSE_SAML_SIGN_CERT/KEY or FSE_REGION_SIGN_CERT/KEY');
    const tls = config.ini.tls && { cert: read(config.ini.tls.certFile), key: read(config.ini.tls.keyFile), ca: config.ini.tls.caFile ? read(config.ini.tls.caFile) : undefined };
    const client = createIniClient({
      urls: iniServiceUrls(config.ini.url, config.ini.services), caller: createSoapCaller({ timeoutMs: config.ini.timeoutMs, tls }),
      region: assertionDefaults, retries: config.ini.retries, budgetMs: config.ini.timeoutMs * (config.ini.retries + 1),
    });
    ini = auditedIniClient(client, audit);
    logger.info('INI federation on', { url: config.ini.url });
  } else if (config.iniOff) {
    logger.info('INI federation off (INI_URL=none): the regional registry answers alone');
  }
  return { audit, patients, ini, verify, assertionDefaults, close: async () => { await ini?.close(); } };
}

/** The region the bridge serves, its name from the organizations table; an unknown code stops the boot. */
export function regionOf(config: Config): RegionIdentity {
  const organization = valueSets().organizations.find((o) => o.code === config.region.code);
  if (!organization) throw new Error(`FSE_REGION_CODE ${config.region.code} is not an organization of mappings/organizations.json`);
  return {
    code: organization.code, name: organization.description, repositoryUniqueId: config.region.repositoryUniqueId,
    defaultApplication: config.soap.defaultApplication,
  };
}
