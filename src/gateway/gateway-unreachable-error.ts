/**
 * Why the national Gateway could not be reached: the connection was refused or reset, the deadline passed, or the
 * TLS handshake failed (server certificate not trusted, client certificate refused).
 */
export type UnreachableReason = 'refused' | 'timeout' | 'tls' | 'network';

/**
 * The Gateway gave no HTTP answer. The REST layer maps it to `mw/io_error` 504 ("Errore comunicazione con GTW
 * nazionale"); an HTTP answer, even an error, is never this error. See: Gateway API digest, 1.4 (middleware errors).
 */
export class GatewayUnreachableError extends Error {
  override name = 'GatewayUnreachableError';
  readonly reason: UnreachableReason;

  constructor(reason: UnreachableReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.reason = reason;
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ENOTFOUND', 'EAI_AGAIN']);

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown } | undefined;
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : '';
}

/** Classifies a transport failure of undici (or of the abort signal) into a {@link GatewayUnreachableError}. */
export function toUnreachable(err: unknown, url: string): GatewayUnreachableError {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const codes = chain.map(codeOf);
  const message = chain.map((e) => (e instanceof Error ? e.message : String(e))).join(': ');
  const reason: UnreachableReason =
    codes.some((c) => TIMEOUT_CODES.has(c) || c === 'TimeoutError' || c === 'AbortError') ? 'timeout'
      : codes.some((c) => /^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(c)) ? 'tls'
        : codes.some((c) => REFUSED_CODES.has(c)) ? 'refused'
          : 'network';
  return new GatewayUnreachableError(reason, `Gateway ${url} unreachable (${reason}): ${message}`, { cause: err });
}
