import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

/**
 * `INI_URL`: a URL federates with INI, unset leaves `start --dev` its simulator, `none` turns federation off
 * altogether (a test bed of the regional registry). See: README "Configuration".
 */
test('INI_URL=none: no INI client settings and federation off', () => {
  const config = loadConfig({ INI_URL: 'none' });
  assert.equal(config.iniOff, true);
  assert.equal(config.ini, undefined);
});

test('INI_URL as a URL federates; unset neither federates nor turns federation off', () => {
  const on = loadConfig({ INI_URL: 'https://ini.example.it/services' });
  assert.equal(on.iniOff, false);
  assert.equal(on.ini?.url, 'https://ini.example.it/services');
  const unset = loadConfig({});
  assert.equal(unset.iniOff, false);
  assert.equal(unset.ini, undefined);
});

test('INI_URL neither a URL nor none is a configuration error naming the variable', () => {
  assert.throws(() => loadConfig({ INI_URL: 'off' }), (err: Error) => err instanceof ConfigError && /INI_URL/.test(err.message));
});

test('FSE_XDS_PATIENT_DOMAINS: a comma-separated list of assigning authorities; unset, any domain', () => {
  assert.deepEqual(loadConfig({ FSE_XDS_PATIENT_DOMAINS: '1.3.6.1.4.1.21367.13.20.1000, 2.16.840.1.113883.2.9.4.3.2' }).soap.patientDomains,
    ['1.3.6.1.4.1.21367.13.20.1000', '2.16.840.1.113883.2.9.4.3.2']);
  assert.equal(loadConfig({}).soap.patientDomains, undefined);
});
