import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDevPki, type DevPki } from '../certs/dev-ca.js';
import type { Logger } from '../logging/logger.js';
import { valueSets } from '../mappings/value-sets.js';
import { loadSamlSigner, type SamlSigner } from '../saml/saml-signer.js';
import { samlTrustFileJson } from '../saml/saml-trust-file.js';
import { samlTrustStoreFromPem } from '../saml/saml-trust-store.js';
import type { GatewayIniOptions } from '../simulators/gateway/gateway-simulator.js';
import { INI_IDENTITY, startIniSimulator, type IniSimulator } from '../simulators/ini/ini-simulator.js';

/**
 * INI for `npm start` (`start --dev` without GATEWAY_URL and INI_URL): the INI simulator on a free port, with its
 * own development PKI and the in-process Gateway simulator's, trusting the Gateway and the region; the region is
 * every patient's RDA, so what the bridge publishes comes back as INI's metadata message, as in production for the
 * region's own patients. The bridge trusts INI's signature for Issuer `000` and the development PKI's (a local
 * hospital's assertions) for the region's code only. See: xds-ini digest 1.2, 2.8, 7.6; docs/federation.md.
 */

export interface DevIni {
  readonly ini: IniSimulator;
  /** FSE_SAML_TRUST of the bridge: INI's certificate bound to `000`, the development signer's to the region's code. */
  readonly trustFile: string;
  /** The in-process Gateway simulator's INI leg. */
  readonly gatewayLeg: GatewayIniOptions;
  /** Tells INI where the region's registry and repository answer, once the bridge listens. */
  attach(registryUrl: string, repositoryUrl: string): void;
  stop(): Promise<void>;
}

const signerOf = (pki: DevPki): SamlSigner =>
  loadSamlSigner({ certificatePem: readFileSync(pki.signCert, 'utf8'), privateKeyPem: readFileSync(pki.signKey, 'utf8') });

export async function startDevIni(options: {
  readonly dir: string;
  readonly regionCode: string;
  readonly regionSignCert: string;
  readonly logger: Logger;
}): Promise<DevIni> {
  const iniPki = createDevPki(path.join(options.dir, 'ini'), { cn: 'INI simulator' });
  const gatewayPki = createDevPki(path.join(options.dir, 'gateway'), { cn: 'Gateway simulator' });
  const regionCert = readFileSync(options.regionSignCert, 'utf8');
  const codes = valueSets().organizations.map((o) => o.code);
  const ini = await startIniSimulator({
    signer: signerOf(iniPki),
    trustedSigners: [...samlTrustStoreFromPem(readFileSync(gatewayPki.signCert, 'utf8'), codes), ...samlTrustStoreFromPem(regionCert, [options.regionCode])],
    allowedIssuers: codes,
    defaultRegion: options.regionCode,
    logger: options.logger,
  });
  const trustFile = path.join(options.dir, 'saml-trust.json');
  writeFileSync(trustFile, samlTrustFileJson([
    { certificate: path.relative(options.dir, iniPki.signCert), issuers: [INI_IDENTITY.issuer] },
    { certificate: path.relative(options.dir, path.resolve(options.regionSignCert)), issuers: [options.regionCode] },
  ], 'start --dev: the INI simulator signs as INI (000); the development signer as a hospital of the region'));
  options.logger.info('INI simulator started in-process', { url: ini.url });
  return {
    ini,
    trustFile,
    gatewayLeg: { url: ini.url, signer: signerOf(gatewayPki) },
    attach: (registryUrl, repositoryUrl) => ini.control.setRegion({ code: options.regionCode, registryUrl, repositoryUrl }),
    stop: () => ini.stop(),
  };
}
