/**
 * Paths of the national API relative to the base URL (which includes `/v1`), with ids percent-encoded (`^` as
 * `%5E`). Tables are data: one entry per endpoint. See: Gateway API digest, 3.0.
 */
const seg = (value: string) => encodeURIComponent(value);

export const GATEWAY_PATHS = {
  validation: () => '/documents/validation',
  create: () => '/documents',
  replace: (idDoc: string) => `/documents/${seg(idDoc)}`,
  delete: (idDoc: string) => `/documents/${seg(idDoc)}`,
  metadata: (idDoc: string) => `/documents/${seg(idDoc)}/metadata`,
  metadataIti57: (idDoc: string) => `/documents/${seg(idDoc)}/metadata-iti-57`,
  validateAndCreate: () => '/documents/validate-and-create',
  validateAndReplace: (idDoc: string) => `/documents/validate-and-replace/${seg(idDoc)}`,
  status: (workflowInstanceId: string) => `/status/${seg(workflowInstanceId)}`,
  statusByTrace: (traceId: string) => `/status/search/${seg(traceId)}`,
} as const;
