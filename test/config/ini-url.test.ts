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
