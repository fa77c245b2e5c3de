/** Transport-neutral request and response of the REST router: express only shims these (STYLE, Medplum). */
export interface RestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A value rendered as JSON, or a Buffer relayed byte for byte (the Gateway's own answer). */
  readonly body: unknown;
}

/** Headers by lower-case name. */
export type Headers = Readonly<Record<string, string | undefined>>;

/** A decoded `multipart/form-data` body: text fields and binary parts by name. */
export interface MultipartBody {
  readonly fields: ReadonlyMap<string, string>;
  readonly files: ReadonlyMap<string, Buffer>;
}
