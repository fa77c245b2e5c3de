import type { SignatureClaims } from '../jwt/claims.js';

/**
 * The typed contract between the REST layer and the national Gateway client.
 * See: Gateway API digest, 1.4 (middleware rules), 1.5 and 2.1 (headers).
 */

/** A multipart body: `file` (the PDF, binary) and `requestBody` (the producer's JSON, as received). See: 2.2. */
export interface GatewayMultipartBody {
  readonly kind: 'multipart';
  /** The PDF bytes, forwarded unchanged: `attachment_hash` is their SHA-256. See: Gateway API digest, 1.5. */
  readonly file: Uint8Array;
  /** File name of the `file` part; `documento.pdf` when absent. */
  readonly fileName?: string;
  /** The raw `requestBody` JSON, forwarded byte-for-byte (the Gateway refuses unknown properties). */
  readonly requestBody: string;
}

/** A JSON body (metadata update), forwarded unchanged. See: Gateway API digest, 3.6. */
export interface GatewayJsonBody {
  readonly kind: 'json';
  readonly json: string;
}

export type GatewayBody = GatewayMultipartBody | GatewayJsonBody;

/** One call to forward to the national Gateway. */
export interface GatewayRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path relative to the base URL (which includes `/v1`), already percent-encoded, e.g. `/documents/validation`. */
  readonly path: string;
  /** The producer's tokens as received: `authorization` with its `Bearer ` prefix; `signature` may be '' (status). */
  readonly tokens: { readonly authorization: string; readonly signature: string };
  /** The producer's verified FSE-JWT-Signature claims: copied into the region's token in case 2. See: 5.6. */
  readonly claims: SignatureClaims;
  /** The PDF, used in case 2 for `attachment_hash` when the producer's token carries none. */
  readonly pdf?: Uint8Array;
  readonly body?: GatewayBody;
  readonly headers?: { readonly 'x-callback-url'?: string; readonly traceparent?: string };
  /**
   * `region`: whatever the client's mode, the region mints the tokens from `claims` (operations of SOAP producers,
   * who have no JWTs; status reads for them). Absent: the client's mode decides. See: Gateway API digest 1.4.
   */
  readonly signing?: 'producer' | 'region';
}

/** The Gateway's answer, unchanged: the REST layer relays status and body as they are. See: 1.4. */
export interface GatewayAnswer {
  readonly status: number;
  readonly contentType: string;
  /** The exact body bytes. */
  readonly body: Buffer;
  /** The body parsed, when the content type is JSON or problem+json and the body parses. */
  readonly json?: unknown;
  /** Response headers a relay may need (`www-authenticate`, `retry-after`, GovWay's transaction headers). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Certificate cases of the middleware rules: 1 = forward the producer's JWTs, 2 = the region signs. See: 1.4. */
export type GatewayJwtMode = 'forward' | 'region';

/** Options of `createGatewayClient`. */
export interface GatewayClientOptions {
  /** National base URL including `/v1`. */
  readonly baseUrl: string;
  /** The region's authentication certificate (TLS client only) and the CA bundle to trust, PEM strings. See: 1.4. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string };
  /** Deadline of a whole call (connect, headers and body); beyond it the Gateway counts as unreachable. */
  readonly timeoutMs: number;
  readonly jwtMode: GatewayJwtMode;
  /** The region's signature certificate and key (PEM), required in `region` mode. See: 5.1, 5.6. */
  readonly regionSigner?: { readonly certPem: string; readonly keyPem: string };
  /** `aud` of region-minted tokens: the national base URL including the version. See: 5.3. */
  readonly audience: string;
  /** Lifetime of region-minted tokens; 300 s by default (new tokens are minted for every call, 2.1). */
  readonly tokenLifetimeSeconds?: number;
  /** Keep-alive connections per origin; 16 by default. */
  readonly connections?: number;
}

/** The national Gateway client. */
export interface GatewayClient {
  /** Forwards one call; resolves with any HTTP answer, rejects with `GatewayUnreachableError` on transport failure. */
  send(request: GatewayRequest): Promise<GatewayAnswer>;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}
