import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevOperator } from '../../dev/dev-operator.js';
import { createApp } from '../../app.js';
import { createDevPki } from '../../certs/dev-ca.js';
import { startDevGateway, type DevGateway } from '../../demo/dev-gateway.js';
import { startDevIni, type DevIni } from '../../demo/dev-ini.js';
import { loadConfig, type Config } from '../../config.js';
import { buildSampleCda, SAMPLE_PATIENT_CF } from '../../dev/sample-cda.js';
import { sampleClaims, samplePublicationBody } from '../../dev/sample-claims.js';
import { mintBearerToken, mintGatewayTokens } from '../../jwt/mint-tokens.js';
import { FISCAL_CODE_OID } from '../../domain/ids.js';
import { createLogger } from '../../logging/logger.js';
import { createSamplePdf, injectCda } from '../../pdf/pdf-inject.js';
import type { CliIo } from '../io.js';

/**
 * `fse-bridge start [--dev] [--demo two-regions [--schema-prefix NAME]]`. Without `--dev` the bridge needs GATEWAY_URL
 * (createApp refuses to start without it). With `--dev` (what `npm start` runs) a development PKI is created on first
 * run, its CA becomes the JWT trust anchor unless FSE_TRUSTED_CA is set, the Gateway simulator runs when GATEWAY_URL is
 * unset (src/demo/dev-gateway.ts) with INI behind it when INI_URL is unset too (src/demo/dev-ini.ts), both stopped
 * after the bridge on shutdown, and a ready-to-paste curl example is printed. With `--demo two-regions`
 * (`npm start -- --demo two-regions`) it runs the federation scenario instead and keeps its Gateway, INI and two
 * bridges up until Ctrl-C, as `fse-bridge demo two-regions --keep` does. `--dev` also keeps the SOAP doors open
 * (`FSE_SOAP_SECURITY=none` unless set: `loadConfig(env, { dev: true })`) where production requires a verified identity,
 * and says so in one warning at start.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let dev: boolean;
  let demo: string[] | undefined;
  try {
    const { values } = parseArgs({ args: argv, options: { dev: { type: 'boolean' }, demo: { type: 'string' }, 'schema-prefix': { type: 'string' } } });
    dev = Boolean(values.dev);
    if (values['schema-prefix'] !== undefined && values.demo === undefined) throw new Error('--schema-prefix goes with --demo');
    if (values.demo !== undefined) demo = [values.demo, '--keep', ...(values['schema-prefix'] === undefined ? [] : ['--schema-prefix', values['schema-prefix']])];
  } catch (err) {
    io.stderr(`fse-bridge start: ${(err as Error).message}`);
    return 2;
  }
  if (demo) return (await import('./demo.js')).run(demo, io);
  let config = loadConfig(process.env, { dev });
  const logger = createLogger(config.logLevel);
  let devPki: ReturnType<typeof createDevPki> | undefined;
  let devIni: DevIni | undefined;
  if (dev) {
    devPki = createDevPki(config.devPkiDir);
    if (devPki.created.length > 0) logger.info('development PKI created', { dir: devPki.dir });
    // Neither the national Gateway nor INI configured: both are simulated, INI behind the Gateway as nationally
    // (unless INI_URL=none: no federation at all).
    if (!config.gatewayUrl && !config.ini && !config.iniOff) {
      devIni = await startDevIni({
        dir: path.join(path.dirname(config.devPkiDir), 'dev-ini'), regionCode: config.region.code,
        regionSignCert: config.regionSigner?.certFile ?? devPki.signCert, logger,
      });
      config = loadConfig({ ...process.env, INI_URL: devIni.ini.url, FSE_SAML_TRUST: process.env.FSE_SAML_TRUST ?? devIni.trustFile }, { dev });
    }
    const relaxed = [...config.relaxedDefaults];
    if (!config.trustedCaFile) {
      config = Object.freeze({ ...config, trustedCaFile: devPki.caCert });
      relaxed.push('FSE_TRUSTED_CA=the development CA');
    }
    if (relaxed.length > 0) logger.warn(`start --dev relaxed production defaults (never run so in production): ${relaxed.join(', ')}`, { relaxed });
    // SOAP producers have no JWTs: in development the region signs the Gateway's tokens with the dev certificate.
    if (!config.regionSigner) config = Object.freeze({ ...config, regionSigner: { certFile: devPki.signCert, keyFile: devPki.signKey } });
  }
  let port: number;
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let devGateway: DevGateway | undefined;
  const stopAll = async () => {
    await app?.stop();
    await devGateway?.stop();
    await devIni?.stop();
  };
  try {
    // No national Gateway configured: its simulator, sharing the bridge's validation pool, so the flow works locally.
    if (dev && !config.gatewayUrl) {
      devGateway = await startDevGateway(config, logger, devIni ? { ini: devIni.gatewayLeg } : {});
      config = devGateway.config;
    }
    app = await createApp(config, logger, devGateway ? { validator: devGateway.validator } : {});
    ({ port } = await app.start());
  } catch (err) {
    await stopAll();
    throw err;
  }
  devIni?.attach(`http://127.0.0.1:${port}${config.soap.registryPath}`, `http://127.0.0.1:${port}${config.soap.repositoryPath}`);
  const stop = () => {
    logger.info('shutting down');
    stopAll().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (devPki) io.stdout(await curlExample(config, devPki, port, devIni?.ini.url));
  if (dev && config.console.enabled) {
    const operator = await ensureDevOperator(app.resources().db.pool, path.dirname(config.devPkiDir));
    io.stdout(`Operator console: http://localhost:${port}/console/ (development account: ${operator.username} / ${operator.password}); API documentation: http://localhost:${port}/docs\n`);
  }
  return 0;
}

async function curlExample(config: Config, pki: ReturnType<typeof createDevPki>, port: number, iniUrl?: string): Promise<string> {
  const dir = path.join(path.dirname(config.devPkiDir), 'dev-sample');
  mkdirSync(dir, { recursive: true });
  const pdf = await injectCda(await createSamplePdf('Lettera di dimissione - esempio'), Buffer.from(buildSampleCda(), 'utf8'));
  const pdfPath = path.join(dir, 'sample-ldo.pdf');
  writeFileSync(pdfPath, pdf);
  const signer = {
    signerCertPem: readFileSync(pki.signCert, 'utf8'), signerKeyPem: readFileSync(pki.signKey, 'utf8'),
    audience: config.jwtAudience?.[0] ?? 'https://modipa-val.fse.salute.gov.it/govway/rest/in/FSE/gateway/v1', lifetimeSeconds: 24 * 3600,
  };
  const tokens = await mintGatewayTokens({ ...signer, claims: sampleClaims(), pdf });
  // The portal's token for the sample patient (the citizen API accepts any issuer under --dev).
  const citizen = await mintBearerToken({ ...signer, claims: { sub: `${SAMPLE_PATIENT_CF}^^^&${FISCAL_CODE_OID}&ISO`, subject_role: 'ASS' } });
  return [
    '',
    `FSE bridge ready on http://localhost:${port} (catalog: ${config.catalogDir ?? 'project rules'})`,
    'Validate the sample document (tokens valid for 24 hours):',
    '',
    `curl -s http://localhost:${port}/v1/documents/validation \\`,
    `  -H 'Authorization: Bearer ${tokens.authorization}' \\`,
    `  -H 'FSE-JWT-Signature: ${tokens.signature}' \\`,
    `  -F 'file=@${pdfPath};type=application/pdf' \\`,
    `  -F 'requestBody={"activity":"VALIDATION","mode":"ATTACHMENT"}'`,
    '',
    'Then publish it (the registry indexes it once the Gateway accepts; GET /v1/status/{workflowInstanceId} follows it):',
    '',
    `curl -s http://localhost:${port}/v1/documents \\`,
    `  -H 'Authorization: Bearer ${tokens.authorization}' \\`,
    `  -H 'FSE-JWT-Signature: ${tokens.signature}' \\`,
    `  -F 'file=@${pdfPath};type=application/pdf' \\`,
    `  -F 'requestBody=${JSON.stringify(samplePublicationBody())}'`,
    '',
    'The sample patient\'s record as the region\'s portal reads it (citizen API, docs/privacy.md):',
    '',
    `curl -s http://localhost:${port}/v1/citizen/documents -H 'Authorization: Bearer ${citizen}'`,
    '',
    `XDS.b over SOAP 1.2: http://localhost:${port}${config.soap.repositoryPath} (ITI-41, ITI-43) and`,
    `http://localhost:${port}${config.soap.registryPath} (ITI-18, ITI-42, ITI-57, ITI-62); WSDLs at ?wsdl.`,
    ...(iniUrl ? [`INI simulator at ${iniUrl}: publications come back as INI's metadata messages (this region is every patient's RDA).`,
      'Two regions exchanging documents through INI: npm run demo.'] : []),
    '',
  ].join('\n');
}
