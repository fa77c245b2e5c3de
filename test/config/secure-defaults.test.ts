import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createApp } from '../../src/app.js';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { samlTrustFileJson } from '../../src/saml/saml-trust-file.js';

/**
 * Secure by default: production's SOAP doors want a verified identity (a SAML assertion checked against FSE_SAML_TRUST,
 * or a registered TLS client certificate), the composition refuses a SAML mode it could not verify, and only
 * `start --dev` (`loadConfig(env, { dev: true })`) keeps development open, saying which defaults it relaxed.
 * See: xds-ini digest 2.6, 7.6; README "Configuration".
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-secure-defaults-'));
const pki = createDevPki(path.join(dir, 'pki'));
// createApp checks before it connects anywhere: this Gateway is never called.
const base = { FSE_TRUSTED_CA: pki.caCert, GATEWAY_URL: 'http://127.0.0.1:9/v1' };

describe('secure defaults', () => {
  test('production: FSE_SOAP_SECURITY is saml-or-certificate and nothing is relaxed', () => {
    const config = loadConfig({});
    assert.equal(config.soap.security, 'saml-or-certificate');
    assert.deepEqual(config.rights, { citizenIssuers: [], operatorIssuers: [] }, 'the citizen and operators\' APIs refuse every call until the region names its systems');
    assert.deepEqual(config.relaxedDefaults, []);
  });

  test('start --dev: none unless the environment sets it, and the relaxed default is named', () => {
    const dev = loadConfig({}, { dev: true });
    assert.equal(dev.soap.security, 'none');
    assert.deepEqual(dev.relaxedDefaults, ['FSE_SOAP_SECURITY=none', 'FSE_CITIZEN_ISSUERS=*', 'FSE_RIGHTS_OPERATOR_ISSUERS=*']);
    assert.deepEqual(dev.rights, { citizenIssuers: ['*'], operatorIssuers: ['*'] });
    const chosen = loadConfig({ FSE_SOAP_SECURITY: 'saml', FSE_CITIZEN_ISSUERS: 'auth:PORTAL', FSE_RIGHTS_OPERATOR_ISSUERS: 'auth:DESK' }, { dev: true });
    assert.equal(chosen.soap.security, 'saml');
    assert.deepEqual(chosen.rights, { citizenIssuers: ['auth:PORTAL'], operatorIssuers: ['auth:DESK'] });
    assert.deepEqual(chosen.relaxedDefaults, []);
  });

  test('createApp refuses a mode that accepts SAML without FSE_SAML_TRUST, in one line naming what to set', async () => {
    for (const env of [{}, { FSE_SOAP_SECURITY: 'saml' }]) {
      await assert.rejects(createApp(loadConfig({ ...base, ...env }), silentLogger()), (err: Error) => {
        assert.match(err.message, /^FSE_SAML_TRUST is not set, but FSE_SOAP_SECURITY=saml(-or-certificate)? accepts SAML assertions/);
        assert.match(err.message, /set FSE_SAML_TRUST .*or FSE_SOAP_SECURITY=certificate .*start --dev/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    }
  });

  test('the modes that accept no SAML, or a SAML mode with a binding file, compose', async () => {
    const trust = path.join(dir, 'trust.json');
    writeFileSync(path.join(dir, 'ini.pem'), readFileSync(pki.signCert, 'utf8'));
    writeFileSync(trust, samlTrustFileJson([{ certificate: 'ini.pem', issuers: ['000'] }]));
    for (const env of [{ FSE_SOAP_SECURITY: 'certificate' }, { FSE_SOAP_SECURITY: 'none' }, { FSE_SAML_TRUST: trust }]) {
      const app = await createApp(loadConfig({ ...base, ...env }), silentLogger());
      assert.ok(app.catalog, JSON.stringify(env));
    }
  });

  test('an unknown FSE_SOAP_SECURITY is a configuration error', () => {
    assert.throws(() => loadConfig({ FSE_SOAP_SECURITY: 'open' }), /FSE_SOAP_SECURITY/);
  });
});
