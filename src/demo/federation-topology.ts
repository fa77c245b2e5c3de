import { personKey } from '../domain/ids.js';
import { createPgConsentStore } from '../stores/pg-consent-store.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../app.js';
import { createDevPki, type DevPki } from '../certs/dev-ca.js';
import { loadConfig, type Config } from '../config.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { loadSamlSigner, type SamlSigner } from '../saml/saml-signer.js';
import { samlTrustFileJson } from '../saml/saml-trust-file.js';
import { samlTrustStoreFromPem } from '../saml/saml-trust-store.js';
import { startGatewaySimulator, type GatewaySimulator } from '../simulators/gateway/gateway-simulator.js';
import { INI_IDENTITY, startIniSimulator, type IniSimulator } from '../simulators/ini/ini-simulator.js';

/**
 * The national design on one machine, as real servers: the Gateway simulator with INI behind it, the INI simulator,
 * and one bridge per region, each with its own PKI (JWTs, SAML, a hospital of its own), its own PostgreSQL schema and
 * queue, reaching the Gateway and INI over HTTP. INI knows each bridge's registry and repository endpoints and trusts
 * the Gateway's and the regions' signatures; each bridge trusts INI's (Issuer 000) and its hospital's (its own code). Used by
 * `fse-bridge demo two-regions`, the two-region tests and `npm run bench:federation`.
 * See: xds-ini digest 1.1-1.4, 2.8, 7; docs/federation.md.
 */

export interface TopologyOptions {
  /** Where the PKIs and trust files are written. */
  readonly dir: string;
  /** The regions' organization codes, e.g. `['120', '090']`. */
  readonly regions: readonly string[];
  /** PostgreSQL shared by the bridges, each in schema `<schemaPrefix>_<code>`. */
  readonly databaseUrl: string;
  readonly schemaPrefix: string;
  /** Patient CX -> assisting region code, as INI reads it from the national registry of the assisted. */
  readonly patients?: Readonly<Record<string, string>>;
  /** More configuration of every bridge (process env style), e.g. INI_QUERY_BUDGET_MS. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
}

/** A bridge of the topology and the parties around it. */
export interface RegionNode {
  readonly code: string;
  readonly app: App;
  readonly config: Config;
  readonly baseUrl: string;
  readonly registryUrl: string;
  readonly repositoryUrl: string;
  /** The region's PKI: its CA signs its producers' JWT certificates and the bridge's own signature certificate. */
  readonly pki: DevPki;
  /** A hospital of the region: it signs the SAML assertions of its doctors' queries and retrieves. */
  readonly hospital: SamlSigner;
}

export interface Topology {
  readonly gateway: GatewaySimulator;
  readonly ini: IniSimulator;
  readonly regions: Readonly<Record<string, RegionNode>>;
  stop(): Promise<void>;
}

const signerOf = (pki: DevPki): SamlSigner =>
  loadSamlSigner({ certificatePem: readFileSync(pki.signCert, 'utf8'), privateKeyPem: readFileSync(pki.signKey, 'utf8') });
const pem = (file: string) => readFileSync(file, 'utf8');

export async function startFederationTopology(options: TopologyOptions): Promise<Topology> {
  const logger = options.logger ?? silentLogger();
  const gatewayPki = createDevPki(path.join(options.dir, 'gateway'), { cn: 'Gateway simulator' });
  const iniPki = createDevPki(path.join(options.dir, 'ini'), { cn: 'INI simulator' });
  const regionPki = new Map(options.regions.map((code) => [code, createDevPki(path.join(options.dir, `region-${code}`), { orgCode: code })]));
  const hospitalPki = new Map(options.regions.map((code) => [code, createDevPki(path.join(options.dir, `hospital-${code}`), { orgCode: code })]));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => logger.warn('federation topology: stop failed', { error: String(err) }));
  };
  try {
    const ini = await startIniSimulator({
      signer: signerOf(iniPki),
      // The Gateway signs with the producer's region as Issuer; a region signs its own consultations only.
      trustedSigners: [
        ...samlTrustStoreFromPem(pem(gatewayPki.signCert), options.regions),
        ...options.regions.flatMap((code) => samlTrustStoreFromPem(pem((regionPki.get(code) as DevPki).signCert), [code])),
      ],
      allowedIssuers: options.regions,
      patients: options.patients,
      logger,
    });
    stops.push(() => ini.stop());
    const gateway = await startGatewaySimulator({
      host: '127.0.0.1',
      trustedCaPem: [...regionPki.values()].map((p) => pem(p.caCert)).join('\n'),
      ini: { url: ini.url, signer: signerOf(gatewayPki) },
      logger,
    });
    stops.push(() => gateway.stop());
    const regions: Record<string, RegionNode> = {};
    for (const code of options.regions) {
      const pki = regionPki.get(code) as DevPki;
      const hospital = hospitalPki.get(code) as DevPki;
      // INI signs as INI (000), the region's hospital for the region only: neither can sign as the other.
      const trust = path.join(options.dir, `saml-trust-${code}.json`);
      writeFileSync(trust, samlTrustFileJson([
        { certificate: path.relative(options.dir, iniPki.signCert), issuers: [INI_IDENTITY.issuer] },
        { certificate: path.relative(options.dir, hospital.signCert), issuers: [code] },
      ], `the bridge of ${code}: INI and the region's hospital`));
      const schema = `${options.schemaPrefix}_${code}`;
      const config = loadConfig({
        ...options.env,
        PORT: '0', HOST: '127.0.0.1',
        DATABASE_URL: options.databaseUrl, FSE_DB_SCHEMA: schema, FSE_QUEUE_PREFIX: schema.replaceAll('_', '-'),
        GATEWAY_URL: gateway.url, INI_URL: ini.url,
        FSE_REGION_CODE: code, FSE_TRUSTED_CA: pki.caCert, FSE_REGION_SIGN_CERT: pki.signCert, FSE_REGION_SIGN_KEY: pki.signKey,
        FSE_SAML_TRUST: trust,
      });
      const app = await createApp(config, logger.child ? logger.child({ region: code }) : logger);
      stops.push(() => app.stop());
      const { port } = await app.start();
      // The demo's patients gave their RDA the consultation consent, without which no doctor of theirs may read.
      const consents = createPgConsentStore(app.resources().db.pool);
      for (const [patient, rda] of Object.entries(options.patients ?? {})) {
        if (rda === code) await consents.record(personKey(patient), true, { subject: personKey(patient), role: 'ASS', channel: 'demo' });
      }
      const baseUrl = `http://127.0.0.1:${port}`;
      const node: RegionNode = {
        code, app, config, baseUrl, pki, hospital: signerOf(hospital),
        registryUrl: `${baseUrl}${config.soap.registryPath}`, repositoryUrl: `${baseUrl}${config.soap.repositoryPath}`,
      };
      ini.control.setRegion({ code, registryUrl: node.registryUrl, repositoryUrl: node.repositoryUrl });
      regions[code] = node;
    }
    return { gateway, ini, regions, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
