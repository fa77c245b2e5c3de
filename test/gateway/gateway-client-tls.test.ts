import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { DevPki } from '../../src/certs/dev-ca.js';
import { createGatewayClient, GatewayUnreachableError, type GatewayRequest } from '../../src/gateway/gateway-client.js';
import { GATEWAY_PATHS } from '../../src/gateway/gateway-paths.js';
import type { GatewaySimulator } from '../../src/simulators/gateway/gateway-simulator.js';
import { AUDIENCE, freshPki, producerTokens, signerOf, startSimulator } from '../simulators/sim-fixtures.js';

/**
 * Mutual TLS towards the Gateway: the region's authentication certificate is the TLS client certificate.
 * See: Gateway API digest, 1.4 (certificates) and 2.1.
 */
describe('Gateway client over mutual TLS', () => {
  let sim: GatewaySimulator;
  let pki: DevPki;
  let request: GatewayRequest;
  const pem = (file: string) => readFileSync(file, 'utf8');

  before(async () => {
    pki = freshPki();
    sim = await startSimulator([pki.caCert], {
      tls: { cert: pem(pki.serverCert), key: pem(pki.serverKey), ca: pem(pki.caCert) },
    });
    const tokens = await producerTokens(signerOf(pki));
    request = {
      method: 'GET', path: GATEWAY_PATHS.statusByTrace('abc'),
      tokens: { authorization: `Bearer ${tokens.authorization}`, signature: '' }, claims: {},
    };
  });
  after(async () => sim.stop());

  test('the simulator serves HTTPS', () => {
    assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  test('a client presenting the authentication certificate gets an HTTP answer', async () => {
    const client = createGatewayClient({
      baseUrl: sim.url, timeoutMs: 30_000, jwtMode: 'forward', audience: AUDIENCE,
      tls: { cert: pem(pki.authCert), key: pem(pki.authKey), ca: pem(pki.caCert) },
    });
    try {
      const answer = await client.send(request);
      assert.equal(answer.status, 404); // no such trace: an answer of the Gateway, not a transport failure
      assert.equal(sim.received.at(-1)?.path, '/v1/status/search/abc');
    } finally {
      await client.close();
    }
  });

  test('a client without a client certificate is refused -> GatewayUnreachableError', async () => {
    const before = sim.received.length;
    const client = createGatewayClient({
      // Empty PEMs: the server certificate is trusted, but no client certificate is presented.
      baseUrl: sim.url, timeoutMs: 30_000, jwtMode: 'forward', audience: AUDIENCE, tls: { cert: '', key: '', ca: pem(pki.caCert) },
    });
    try {
      // The server ends the handshake (TLS 1.3 "certificate required"): the client sees the connection close.
      await assert.rejects(client.send(request), GatewayUnreachableError);
      assert.equal(sim.received.length, before, 'the request never reached the Gateway');
    } finally {
      await client.close();
    }
  });

  test('a server certificate outside the trusted CAs -> GatewayUnreachableError (tls)', async () => {
    const other = freshPki();
    const client = createGatewayClient({
      baseUrl: sim.url, timeoutMs: 30_000, jwtMode: 'forward', audience: AUDIENCE,
      tls: { cert: pem(pki.authCert), key: pem(pki.authKey), ca: pem(other.caCert) },
    });
    try {
      await assert.rejects(client.send(request), (err: unknown) => err instanceof GatewayUnreachableError && err.reason === 'tls');
    } finally {
      await client.close();
    }
  });
});
