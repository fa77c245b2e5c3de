import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { startDevGateway, type DevGateway } from '../../src/demo/dev-gateway.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { mintGatewayTokens } from '../../src/jwt/mint-tokens.js';
import { createLogger, silentLogger } from '../../src/logging/logger.js';
import { createSamplePdf, injectCda } from '../../src/pdf/pdf-inject.js';
import type { GatewayIniOptions, GatewaySimulator } from '../../src/simulators/gateway/gateway-simulator.js';
import { randomBytes } from 'node:crypto';
import { createPool } from '../../src/db/pool.js';
import { TEST_DATABASE_URL } from './test-database.js';

export const AUDIENCE = 'https://modipa-val.fse.salute.gov.it/govway/rest/in/FSE/gateway/v1';

/** A running bridge on a random port with a fresh development PKI, and helpers to call it as a producer would. */
export interface Harness {
  readonly app: App;
  readonly baseUrl: string;
  readonly pki: DevPki;
  /** The Gateway simulator the harness started, as `start --dev` does; absent when GATEWAY_URL was given. */
  readonly simulator?: GatewaySimulator;
  tokens(claims?: Record<string, unknown>, pdf?: Uint8Array): Promise<{ authorization: string; signature: string }>;
  stop(): Promise<void>;
}

/**
 * Starts a bridge on the machine's real PostgreSQL (a fresh schema) and queue backend (a fresh prefix), with the
 * Gateway simulator beside it unless GATEWAY_URL is given (as `start --dev`: one validation pool for both).
 * `stop()` stops the bridge, then the simulator, and drops the schema.
 */
/** The test beds' access policy (every caller reads everything): for tests of protocols, not of access rights. */
export const OPEN_ACCESS_POLICY = path.join(PROJECT_ROOT, 'mappings', 'access-policy-open.json');

/** Options of {@link startBridge}. */
export interface StartBridgeOptions {
  /**
   * Keep production's secure defaults (FSE_SOAP_SECURITY=saml-or-certificate, which needs FSE_SAML_TRUST) instead of
   * the test beds' `none`; for tests of those defaults themselves.
   */
  readonly productionDefaults?: boolean;
  /** Puts INI (e.g. the INI simulator) behind the Gateway simulator. */
  readonly gatewayIni?: GatewayIniOptions;
}

export async function startBridge(env: Record<string, string> = {}, options: StartBridgeOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-bridge-test-'));
  const schema = `b_${randomBytes(6).toString('hex')}`;
  const pki = createDevPki(path.join(dir, 'pki'));
  let config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    FSE_TRUSTED_CA: pki.caCert,
    FSE_SEF_CACHE_DIR: path.join(PROJECT_ROOT, 'var', 'sef-cache'),
    FSE_VALIDATION_WORKERS: '1',
    DATABASE_URL: TEST_DATABASE_URL,
    FSE_DB_SCHEMA: schema,
    FSE_QUEUE_PREFIX: schema.replace('_', '-'),
    QUEUE_BACKEND: 'postgres',
    // SOAP producers' calls are signed by the region (certificate case 2).
    FSE_REGION_SIGN_CERT: pki.signCert,
    FSE_REGION_SIGN_KEY: pki.signKey,
    // Tests of protocols call the SOAP doors anonymously unless they test identities (then their env sets it).
    ...(options.productionDefaults ? {} : { FSE_SOAP_SECURITY: 'none' }),
    ...env,
  });
  const logger = process.env.TEST_LOG_LEVEL ? createLogger(process.env.TEST_LOG_LEVEL, 'test-bridge') : silentLogger();
  let gateway: DevGateway | undefined;
  if (!config.gatewayUrl) {
    gateway = await startDevGateway(config, logger, options.gatewayIni ? { ini: options.gatewayIni } : {});
    config = gateway.config;
  }
  const app = await createApp(config, logger, gateway ? { validator: gateway.validator } : {}).catch(async (err: unknown) => {
    // A refused configuration must not leave the simulator running (the test process would never exit).
    await gateway?.stop();
    throw err;
  });
  let port: number;
  try {
    ({ port } = await app.start());
  } catch (err) {
    await app.stop();
    await gateway?.stop();
    throw err;
  }
  const signerCertPem = readFileSync(pki.signCert, 'utf8');
  const signerKeyPem = readFileSync(pki.signKey, 'utf8');
  return {
    app,
    pki,
    simulator: gateway?.simulator,
    baseUrl: `http://127.0.0.1:${port}`,
    tokens: (claims = sampleClaims(), pdf) =>
      mintGatewayTokens({ signerCertPem, signerKeyPem, claims, pdf, audience: AUDIENCE, lifetimeSeconds: 3600 }),
    stop: async () => {
      await app.stop();
      await gateway?.stop();
      const pool = createPool(TEST_DATABASE_URL);
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}

/** The sample CDA injected (ATTACHMENT mode) in a one-page PDF. */
export async function samplePdf(cda: string = buildSampleCda()): Promise<Uint8Array> {
  return injectCda(await createSamplePdf('Documento di prova'), Buffer.from(cda, 'utf8'));
}

export interface CallOptions {
  readonly pdf?: Uint8Array;
  readonly requestBody?: string;
  readonly headers?: Record<string, string>;
  readonly omitFile?: boolean;
}

/** POSTs a multipart validation request the way producers' HTTP clients do. */
export async function postValidation(h: Harness, opts: CallOptions): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const form = new FormData();
  if (!opts.omitFile) form.append('file', new Blob([Buffer.from(opts.pdf ?? new Uint8Array())], { type: 'application/pdf' }), 'doc.pdf');
  if (opts.requestBody !== undefined) form.append('requestBody', opts.requestBody);
  const res = await fetch(`${h.baseUrl}/v1/documents/validation`, { method: 'POST', body: form, headers: opts.headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
}

/** Both token headers for a call. */
export async function authHeaders(h: Harness, claims?: Record<string, unknown>): Promise<Record<string, string>> {
  const t = await h.tokens(claims);
  return { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature };
}
