import { Agent, request as undiciRequest } from 'undici';
import { encodeMultipart } from './multipart-encoder.js';
import { outboundTokens } from './outbound-tokens.js';
import type { GatewayAnswer, GatewayClient, GatewayClientOptions, GatewayRequest } from './gateway-types.js';
import { toUnreachable } from './gateway-unreachable-error.js';

export type { GatewayAnswer, GatewayClient, GatewayClientOptions, GatewayRequest } from './gateway-types.js';
export { GatewayUnreachableError } from './gateway-unreachable-error.js';

/** Response headers kept on {@link GatewayAnswer.headers}: what a relay may have to pass on. See: 2.5. */
const RELAYED_HEADERS = ['www-authenticate', 'retry-after', 'govway-transaction-id', 'govway-transaction-errortype'];

/**
 * Creates the client of the national Gateway: one undici `Agent` (keep-alive pool) carrying the region's TLS
 * authentication certificate, a deadline per call, and the token policy of the certificate case.
 * Every call is forwarded at once and its answer returned unchanged; only the absence of an answer is an error.
 * See: Gateway API digest, 1.4 (process rules, middleware errors), 1.5 and 2.1.
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  if (options.jwtMode === 'region' && !options.regionSigner) {
    throw new Error("GATEWAY_JWT_MODE 'region' needs the region's signature certificate and key");
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const agent = new Agent({
    connections: options.connections ?? 16,
    keepAliveTimeout: 10_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: {
      timeout: options.timeoutMs,
      ...(options.tls ? { cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca } : {}),
    },
  });

  return {
    async send(request) {
      const tokens = await outboundTokens(request, options);
      const headers: Record<string, string> = { accept: 'application/json', authorization: tokens.authorization };
      if (tokens.signature !== undefined) headers['fse-jwt-signature'] = tokens.signature;
      if (request.headers?.['x-callback-url']) headers['x-callback-url'] = request.headers['x-callback-url'];
      if (request.headers?.traceparent) headers.traceparent = request.headers.traceparent;
      const body = encodeBody(request, headers);

      const url = `${baseUrl}${request.path}`;
      try {
        const res = await undiciRequest(url, {
          method: request.method,
          headers,
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const bytes = Buffer.from(await res.body.arrayBuffer());
        return answerOf(res.statusCode, res.headers, bytes);
      } catch (err) {
        throw toUnreachable(err, url);
      }
    },
    close: () => agent.close(),
  };
}

function encodeBody(request: GatewayRequest, headers: Record<string, string>): Buffer | undefined {
  const body = request.body;
  if (body === undefined) return undefined;
  switch (body.kind) {
    case 'multipart': {
      const encoded = encodeMultipart(body);
      headers['content-type'] = encoded.contentType;
      return encoded.bytes;
    }
    case 'json':
      headers['content-type'] = 'application/json';
      return Buffer.from(body.json, 'utf8');
  }
}

type RawHeaders = Record<string, string | string[] | undefined>;

function answerOf(status: number, raw: RawHeaders, body: Buffer): GatewayAnswer {
  const header = (name: string) => {
    const v = raw[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const contentType = header('content-type') ?? '';
  const headers: Record<string, string> = {};
  for (const name of RELAYED_HEADERS) {
    const v = header(name);
    if (v !== undefined) headers[name] = v;
  }
  let json: unknown;
  if (/[/+]json\b/i.test(contentType) && body.length > 0) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined; // the bytes are relayed as they are anyway
    }
  }
  return { status, contentType, body, json, headers };
}
