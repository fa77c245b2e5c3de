/**
 * The one error catalogue of the bridge. Each code maps to the Gateway's problem `type`, `title` and HTTP status.
 * Statuses differ by endpoint family exactly where the national dispatcher differs.
 * See: Gateway API digest, sections 2.6 and 11; middleware rules, section 1.4.
 */
export type EndpointFamily = 'validation' | 'publication' | 'other';

export interface ErrorSpec {
  readonly type: string;
  readonly title: string;
  /** HTTP status per endpoint family; a number applies to all families. */
  readonly status: number | Readonly<Record<EndpointFamily, number>>;
  readonly instance: string;
}

const byFamily = (validation: number, publication: number, other: number) => ({ validation, publication, other });

export const ERRORS = {
  missingToken: { type: '/msg/missing-token', title: 'Token non fornito.', status: byFamily(403, 400, 400), instance: '/missing-jwt' },
  mandatoryElementToken: { type: '/msg/mandatory-element-token', title: 'Token JWT non valido.', status: byFamily(403, 403, 401), instance: '/jwt-mandatory-field-missing' },
  jwtValidation: { type: '/msg/jwt-validation', title: 'Campo token JWT non valido.', status: 403, instance: '/jwt-mandatory-field-missing' },
  mandatoryElement: { type: '/msg/mandatory-element', title: 'Campo obbligatorio non presente.', status: 400, instance: '/request-missing-field' },
  invalidFormat: { type: '/msg/invalid-format', title: 'Formato campo non valido.', status: 400, instance: '/request-invalid-date-format' },
  idDoc: { type: '/msg/id-doc', title: 'Campo id documento non valido', status: 400, instance: '/invalid-id' },
  emptyFile: { type: '/msg/empty-file', title: 'File vuoto.', status: 400, instance: '/empty-multipart-file' },
  documentType: { type: '/msg/document-type', title: 'Il documento non è pdf.', status: byFamily(415, 400, 400), instance: '/multipart-file' },
  cdaElement: { type: '/msg/cda-element', title: 'Errore in fase di estrazione del CDA.', status: 400, instance: '/cda-extraction' },
  workflowIdExtraction: { type: '/msg/workflow-id-error-extraction', title: 'Errore in fase di estrazione del workflow id.', status: 400, instance: '/msg/workflow-id-error-extraction' },
  syntax: { type: '/msg/syntax', title: 'Errore di sintassi.', status: 400, instance: '/validation/error' },
  semantic: { type: '/msg/semantic', title: 'Errore semantico.', status: byFamily(422, 422, 422), instance: '/validation/error' },
  vocabulary: { type: '/msg/vocabulary', title: 'Errore vocabolario.', status: 400, instance: '/validation/error' },
  validator: { type: '/msg/validator', title: 'Errore di validazione', status: 400, instance: '/cda-validation' },
  cdaMatch: { type: '/msg/cda-match', title: "Errore in fase di recupero dell'esito della verifica.", status: 400, instance: '/cda-validation' },
  maxDayLimit: { type: '/msg/max-day-limit-exceed', title: 'Error: document exceeded the maximum period to be published.', status: 400, instance: '/msg/max-day-limit-exceed' },
  documentHash: { type: '/msg/document-hash', title: 'Verifica hash fallita.', status: 400, instance: '/jwt-hash-match' },
  recordNotFound: { type: '/msg/record-not-found', title: 'Record non trovato.', status: 404, instance: '/record-not-found' },
  wii: { type: '/msg/wii', title: 'Campo worflow instance id non valido', status: 400, instance: '/invalid-id' },
  signError: { type: '/msg/sign-error', title: 'Sign error', status: 400, instance: '/msg/sign-error' },
  genericError: { type: '/msg/generic-error', title: 'Errore generico.', status: 500, instance: '' },
  /** The same problem type when Spring refuses the request shape (missing part, broken multipart): 400. */
  genericBadRequest: { type: '/msg/generic-error', title: 'Errore generico.', status: 400, instance: '' },
  /** The Gateway answers token signature failures at its frontier (GovWay); the bridge answers them in RFC 7807 form. */
  tokenAuthentication: { type: 'https://govway.org/handling-errors/401/TokenAuthenticationFailed.html', title: 'TokenAuthenticationFailed', status: 401, instance: '' },
  payloadTooLarge: { type: 'about:blank', title: 'Payload Too Large', status: 413, instance: '' },
  unsupportedMediaType: { type: 'about:blank', title: 'Unsupported Media Type', status: 415, instance: '' },
  notFound: { type: 'about:blank', title: 'Not Found', status: 404, instance: '' },
  /** The region's own API: an authenticated caller reading what is not theirs (the access log of another patient). */
  forbidden: { type: 'about:blank', title: 'Forbidden', status: 403, instance: '' },
  /** The region's own API: the request contradicts what the region holds (a delegation already revoked or given). */
  conflict: { type: 'about:blank', title: 'Conflict', status: 409, instance: '' },
  /** The region's own API: the national Gateway refused the change the request asked for (its reason in `detail`). */
  gatewayRefused: { type: 'about:blank', title: 'Bad Gateway', status: 502, instance: '' },
  /** The region's own API: a well-formed body that states the impossible (a delegation that ends before it starts). */
  unprocessable: { type: 'about:blank', title: 'Unprocessable Content', status: 422, instance: '' },
  mwIoError: { type: 'mw/io_error', title: 'Errore comunicazione con GTW nazionale', status: 504, instance: '' },
  mwInternalError: { type: 'mw/internal_error', title: 'Errore Interno', status: 500, instance: '' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** The HTTP status of an error code for a given endpoint family. */
export function statusOf(code: ErrorCode, family: EndpointFamily): number {
  const status: ErrorSpec['status'] = ERRORS[code].status;
  return typeof status === 'number' ? status : status[family];
}
