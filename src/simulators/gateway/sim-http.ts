/**
 * The simulator's own transport-neutral request and response: the routes return a {@link SimResponse} and the express
 * shim writes it. See: Gateway API digest, 2.1-2.4.
 */

/** An answer of the simulated Gateway: status, headers and a body rendered as JSON. */
export interface SimResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Request headers by lower-case name. */
export type SimHeaders = Readonly<Record<string, string | undefined>>;

/** A decoded `multipart/form-data` body: text fields and binary parts by name. See: Gateway API digest, 2.2. */
export interface SimMultipartBody {
  readonly fields: ReadonlyMap<string, string>;
  readonly files: ReadonlyMap<string, Buffer>;
}

/** A 200/201/202 JSON answer. See: Gateway API digest, 2.3. */
export function jsonAnswer(status: number, body: Record<string, unknown>): SimResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}
