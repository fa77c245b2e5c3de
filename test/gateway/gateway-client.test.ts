import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { DevPki } from '../../src/certs/dev-ca.js';
import { createGatewayClient, GatewayUnreachableError, type GatewayClient, type GatewayRequest } from '../../src/gateway/gateway-client.js';
import { GATEWAY_PATHS } from '../../src/gateway/gateway-paths.js';
import { toSignatureClaims } from '../../src/jwt/claims.js';
import type { GatewaySimulator } from '../../src/simulators/gateway/gateway-simulator.js';
import {
  AUDIENCE, CLAIMS, cdaPdf, creationBody, docId, freshPki, producerTokens, signerOf, startSimulator, type Signer,
} from '../simulators/sim-fixtures.js';

const REGION_CN = 'S1#120999999999XX';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** Unusual but valid JSON spacing: the client must not re-serialise it. */
const VALIDATION_BODY = '{ "activity" : "VALIDATION",\n  "mode":"ATTACHMENT" }';

describe('Gateway client against the simulator', () => {
  let sim: GatewaySimulator;
  let producerPki: DevPki;
  let producer: Signer;
  let region: Signer;
  let forward: GatewayClient;
  let regional: GatewayClient;

  before(async () => {
    producerPki = freshPki();
    const regionPki = freshPki(REGION_CN);
    producer = signerOf(producerPki);
    region = signerOf(regionPki);
    sim = await startSimulator([producerPki.caCert, regionPki.caCert]);
    forward = createGatewayClient({ baseUrl: sim.url, timeoutMs: 60_000, jwtMode: 'forward', audience: AUDIENCE });
    regional = createGatewayClient({ baseUrl: sim.url, timeoutMs: 60_000, jwtMode: 'region', regionSigner: region, audience: AUDIENCE });
  });
  after(async () => {
    await forward.close();
    await regional.close();
    await sim.stop();
  });
  beforeEach(async () => sim.control.reset());

  /** A request as the REST layer builds it from a producer's call. */
  const requestFor = async (
    path: string, pdf: Uint8Array, requestBody: string, overrides: Record<string, unknown> = {}, method: GatewayRequest['method'] = 'POST',
  ): Promise<{ request: GatewayRequest; tokens: { authorization: string; signature: string } }> => {
    const tokens = await producerTokens(producer, overrides, pdf);
    const request: GatewayRequest = {
      method, path,
      tokens: { authorization: `Bearer ${tokens.authorization}`, signature: tokens.signature },
      claims: toSignatureClaims(decodeJwt(tokens.signature)),
      pdf,
      body: { kind: 'multipart', file: pdf, fileName: 'referto.pdf', requestBody },
    };
    return { request, tokens };
  };

  test('case 1: tokens forwarded byte-for-byte; multipart parts and bytes unchanged', async () => {
    const pdf = await cdaPdf('GW-C1');
    const { request, tokens } = await requestFor(GATEWAY_PATHS.validation(), pdf, VALIDATION_BODY);
    const answer = await forward.send({ ...request, headers: { 'x-callback-url': 'https://region.example/cb', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` } });
    assert.equal(answer.status, 201, answer.body.toString());
    assert.match(String((answer.json as { workflowInstanceId?: string }).workflowInstanceId), /\^\^\^\^urn:ihe:iti:xdw:2013:workflowInstanceId$/);

    const received = sim.received.at(-1);
    assert.equal(received?.headers.authorization, `Bearer ${tokens.authorization}`);
    assert.equal(received?.headers['fse-jwt-signature'], tokens.signature);
    assert.equal(received?.headers['x-callback-url'], 'https://region.example/cb');
    assert.equal(received?.headers.traceparent, `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
    assert.deepEqual(received?.parts?.map((p) => p.name), ['file', 'requestBody']);
    const [file, body] = received?.parts ?? [];
    assert.equal(file?.sha256, sha256(pdf));
    assert.equal(file?.size, pdf.length);
    assert.equal(file?.fileName, 'referto.pdf');
    assert.equal(file?.contentType, 'application/pdf');
    assert.equal(body?.fileName, undefined, 'requestBody is a text field, not a file');
    assert.equal(body?.text, VALIDATION_BODY);
  });

  test('case 2: both tokens re-minted by the region, carrying the producer claims; publication accepted', async () => {
    const pdf = await cdaPdf('GW-C2');
    const validation = await requestFor(GATEWAY_PATHS.validation(), pdf, VALIDATION_BODY);
    assert.equal((await regional.send(validation.request)).status, 201);
    const { request, tokens } = await requestFor(GATEWAY_PATHS.create(), pdf, creationBody(docId('GW-C2')), CLAIMS.create);
    const answer = await regional.send(request);
    assert.equal(answer.status, 202, answer.body.toString());
    assert.equal(sim.documents.get(docId('GW-C2'))?.publications, 1);

    const received = sim.received.at(-1);
    const bearer = String(received?.headers.authorization);
    assert.notEqual(bearer, `Bearer ${tokens.authorization}`);
    const auth = decodeJwt(bearer.replace(/^Bearer /, ''));
    const sent = decodeJwt(String(received?.headers['fse-jwt-signature']));
    const original = decodeJwt(tokens.signature);
    assert.equal(auth.iss, `auth:${REGION_CN}`);
    assert.equal(sent.iss, `integrity:${REGION_CN}`);
    assert.equal(auth.sub, original.sub);
    assert.equal(sent.aud, AUDIENCE);
    assert.notEqual(sent.jti, original.jti);
    const application = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => !['iss', 'aud', 'iat', 'exp', 'jti'].includes(k)));
    assert.deepEqual(application(sent), application(original));
    assert.equal(sent.attachment_hash, sha256(pdf));
  });

  test('Gateway errors are relayed unchanged (status and body bytes)', async () => {
    const problem = { traceID: 't', spanID: 's', type: '/msg/semantic', title: 'Errore semantico.', detail: 'àèì "x"', status: 422, instance: '/validation/error', workflowInstanceId: 'W' };
    sim.control.injectError({ operation: 'validation', status: 422, body: problem });
    const { request } = await requestFor(GATEWAY_PATHS.validation(), await cdaPdf('GW-ERR'), VALIDATION_BODY);
    const injected = await forward.send(request);
    assert.equal(injected.status, 422);
    assert.equal(injected.contentType, 'application/problem+json');
    assert.equal(injected.body.toString('utf8'), JSON.stringify(problem));
    assert.deepEqual(injected.json, problem);

    const real = await forward.send({ ...request, body: { kind: 'multipart', file: request.pdf ?? new Uint8Array(), requestBody: '{"activity":"VALIDATION","x":1}' } });
    assert.equal(real.status, 400);
    assert.equal((real.json as { type?: string }).type, '/msg/mandatory-element');
  });

  test('JSON bodies forwarded unchanged; 404 of an unknown document relayed', async () => {
    const json = '{"tipoDocumentoLivAlto":"LDO" }';
    const tokens = await producerTokens(producer, CLAIMS.update);
    const answer = await forward.send({
      method: 'PUT', path: GATEWAY_PATHS.metadataIti57(docId('GW-NONE')),
      tokens: { authorization: `Bearer ${tokens.authorization}`, signature: tokens.signature },
      claims: toSignatureClaims(decodeJwt(tokens.signature)), body: { kind: 'json', json },
    });
    assert.equal(answer.status, 404);
    assert.equal((answer.json as { type?: string }).type, '/msg/record-not-found');
    const received = sim.received.at(-1);
    assert.equal(received?.json, json);
    assert.equal(received?.headers['content-type'], 'application/json');
    assert.equal(received?.path, `/v1/documents/${docId('GW-NONE').replace('^', '%5E')}/metadata-iti-57`);
  });

  test('status GET without a signature token sends none; 429 relayed with Retry-After', async () => {
    const tokens = await producerTokens(producer);
    const request: GatewayRequest = {
      method: 'GET', path: GATEWAY_PATHS.statusByTrace('abc'),
      tokens: { authorization: `Bearer ${tokens.authorization}`, signature: '' }, claims: {},
    };
    sim.control.rateLimitNext(1);
    const limited = await forward.send(request);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '1');
    assert.equal((limited.json as { title?: string }).title, 'TooManyRequests');
    const answer = await forward.send(request);
    assert.equal(answer.status, 404);
    assert.equal(sim.received.at(-1)?.headers['fse-jwt-signature'], undefined);
  });

  test('outage (connection refused or reset) -> GatewayUnreachableError; the pool recovers', async () => {
    const tokens = await producerTokens(producer);
    const request: GatewayRequest = {
      method: 'GET', path: GATEWAY_PATHS.statusByTrace('abc'),
      tokens: { authorization: `Bearer ${tokens.authorization}`, signature: '' }, claims: {},
    };
    assert.equal((await forward.send(request)).status, 404); // a pooled keep-alive connection now exists
    await sim.control.setOutage('refuse');
    await assert.rejects(forward.send(request), (err: unknown) => err instanceof GatewayUnreachableError && err.reason === 'refused');
    await sim.control.setOutage('reset');
    await assert.rejects(forward.send(request), (err: unknown) => err instanceof GatewayUnreachableError);
    await sim.control.setOutage(false);
    assert.equal((await forward.send(request)).status, 404);
  });

  test('latency above the deadline -> GatewayUnreachableError (timeout)', async () => {
    const client = createGatewayClient({ baseUrl: sim.url, timeoutMs: 200, jwtMode: 'forward', audience: AUDIENCE });
    try {
      const tokens = await producerTokens(producer);
      sim.control.setLatency(3000);
      const started = Date.now();
      await assert.rejects(
        client.send({ method: 'GET', path: GATEWAY_PATHS.statusByTrace('abc'), tokens: { authorization: `Bearer ${tokens.authorization}`, signature: '' }, claims: {} }),
        (err: unknown) => err instanceof GatewayUnreachableError && err.reason === 'timeout',
      );
      assert.ok(Date.now() - started < 2500, 'the deadline, not the Gateway, ends the call');
    } finally {
      sim.control.setLatency(0);
      await client.close();
    }
  });
});
