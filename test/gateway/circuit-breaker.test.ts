import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withCircuitBreaker } from '../../src/gateway/circuit-breaker.js';
import type { GatewayAnswer, GatewayClient } from '../../src/gateway/gateway-client.js';
import { GatewayUnreachableError } from '../../src/gateway/gateway-client.js';

/** A client whose behaviour the test scripts: 'down' fails as unreachable, 'up' answers 200. Counts real calls. */
function scripted() {
  const state = { mode: 'down' as 'down' | 'up', calls: 0 };
  const answer: GatewayAnswer = { status: 200, contentType: 'application/json', body: Buffer.from('{}'), headers: {} };
  const client: GatewayClient = {
    async send() {
      state.calls += 1;
      if (state.mode === 'down') throw new GatewayUnreachableError('refused', 'down');
      return answer;
    },
    close: async () => undefined,
  };
  return { state, client };
}

const request = { method: 'GET' as const, path: '/status/x', tokens: { authorization: '', signature: '' }, claims: {} };

describe('circuit breaker around the Gateway client', () => {
  test('opens after the threshold, fails fast while open, probes once after the cooldown, closes on success', async () => {
    let now = 0;
    const { state, client } = scripted();
    const breaker = withCircuitBreaker(client, { threshold: 3, cooldownMs: 1000, now: () => now });
    for (let i = 0; i < 3; i += 1) await assert.rejects(breaker.send(request), GatewayUnreachableError);
    assert.equal(breaker.state(), 'open');
    await assert.rejects(breaker.send(request), /circuit open/);
    assert.equal(state.calls, 3, 'no network call while open');
    now = 1000;
    assert.equal(breaker.state(), 'half-open');
    await assert.rejects(breaker.send(request), GatewayUnreachableError);
    assert.equal(state.calls, 4, 'one probe');
    assert.equal(breaker.state(), 'open', 'a failed probe re-opens');
    now = 2000;
    state.mode = 'up';
    assert.equal((await breaker.send(request)).status, 200);
    assert.equal(breaker.state(), 'closed');
  });

  test('HTTP answers, errors included, reset the failure count', async () => {
    const { state, client } = scripted();
    const breaker = withCircuitBreaker(client, { threshold: 2, cooldownMs: 1000, now: () => 0 });
    await assert.rejects(breaker.send(request), GatewayUnreachableError);
    state.mode = 'up';
    await breaker.send(request);
    state.mode = 'down';
    await assert.rejects(breaker.send(request), GatewayUnreachableError);
    assert.equal(breaker.state(), 'closed');
  });
});
