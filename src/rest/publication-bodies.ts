import { z } from 'zod';
import { FseError } from '../errors/fse-error.js';
import { parseDto } from './request-bodies.js';
import { valueSets, type ValueSets } from '../mappings/value-sets.js';
import { findEventCode, xdsValueSets, type XdsValueSets } from '../mappings/xds-value-sets.js';
import type { MetadataUpdateRequest, PublicationMetadataFields, PublicationRequest } from '../domain/publication-request.js';

export type { MetadataUpdateRequest, PublicationMetadataFields, PublicationRequest };

/**
 * The JSON `requestBody` of publication, replace, validate-and-* and metadata update, parsed as strictly as the
 * Gateway: Jackson's binding first (unknown field, bad JSON, value outside an enum), then the dispatcher's checks in
 * its order, each with its exact message. The Italian field names stay in this file; callers get English names.
 * See: Gateway API digest, 3.0, 3.3 step 2-3, 3.4, 3.6, 3.7, 3.8 and 4.
 */

/** Options of the parsers: the value sets to check against (the project's `mappings/` by default). */
export interface BodyParseOptions {
  readonly valueSets?: ValueSets;
  readonly xdsValueSets?: XdsValueSets;
}

/** Jackson coerces scalars to the declared String type (`120` -> `"120"`); objects and arrays fail. */
const str = z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string()).nullish();
const strList = z.array(z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string())).nullish();
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).nullish();
const oneOf = (values: readonly string[]) => z.enum(values as [string, ...string[]]).nullish();

function schemas(xds: XdsValueSets) {
  const metadata = {
    tipologiaStruttura: oneOf(xds.facilityTypes.codes.map((c) => c.value)),
    attiCliniciRegoleAccesso: strList,
    tipoDocumentoLivAlto: oneOf(xds.classCodes.codes.map((c) => c.code)),
    assettoOrganizzativo: oneOf(xds.practiceSettings.codes.map((c) => c.code)),
    dataInizioPrestazione: str,
    dataFinePrestazione: str,
    conservazioneANorma: str,
    tipoAttivitaClinica: oneOf(xds.contentTypes.codes.map((c) => c.value)),
    identificativoSottomissione: str,
    descriptions: strList,
    administrativeRequest: z.array(z.enum(xds.administrativeRequests.map((c) => c.code) as [string, ...string[]])).nullish(),
  };
  const update = z.strictObject({
    ...metadata,
    workflowInstanceId: str,
    healthDataFormat: z.enum(['CDA']).nullish(),
    mode: z.enum(['ATTACHMENT', 'RESOURCE']).nullish(),
    identificativoDoc: str,
    identificativoRep: str,
  });
  /** The creation DTO still tolerates the deprecated `priorita` (ignored). See: Gateway API digest, 4. */
  const creation = update.extend({ priorita: bool });
  return { creation, update, metadata: z.strictObject(metadata) };
}

let defaultSchemas: ReturnType<typeof schemas> | undefined;

function schemasFor(options: BodyParseOptions): ReturnType<typeof schemas> {
  if (options.xdsValueSets) return schemas(options.xdsValueSets);
  defaultSchemas ??= schemas(xdsValueSets());
  return defaultSchemas;
}

const bind = parseDto;

/** `StringUtility.isNullOrEmpty`: null and `""` are missing. */
const isMissing = (v: string | null | undefined): v is null | undefined | '' => v === undefined || v === null || v === '';

/**
 * The document-id rule ([CODE] since 2026-03-19): non-blank, at least one `^`, and a non-empty part after the last
 * `^`. See: Gateway API digest, 3.0.
 */
export function isValidDocumentId(id: string | null | undefined): boolean {
  if (id === undefined || id === null || id.trim() === '') return false;
  const last = id.lastIndexOf('^');
  return last >= 0 && last < id.length - 1;
}

/**
 * Checks a path document id (`identificativoDocUpdate`). `/invalid-req-id` for replace, `/invalid-id` for delete
 * and metadata update. See: Gateway API digest, 3.4, 3.5, 3.6 and 11.1 (`/msg/id-doc`).
 */
export function checkPathDocumentId(id: string | undefined, instance: '/invalid-req-id' | '/invalid-id' = '/invalid-req-id'): string {
  if (id === undefined || !isValidDocumentId(id)) {
    throw new FseError('idDoc', instance === '/invalid-req-id'
      ? "L'identificativo documento fornito in richiesta non è valido"
      : "L'identificativo documento non è valido", { instance });
  }
  return id;
}

/** Java's `String.split("\\^")`: no separator gives the whole string; trailing empty parts are dropped. */
function javaSplitCaret(value: string): string[] {
  if (!value.includes('^')) return [value];
  const parts = value.split('^');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function isAllowedDescriptionOid(oid: string | undefined, xds: XdsValueSets, sets: ValueSets): boolean {
  if (oid === undefined) return false;
  return xds.descriptionOids.some(({ oid: allowed }) => {
    const at = allowed.indexOf('{REG}');
    if (at < 0) return oid === allowed;
    const prefix = allowed.slice(0, at);
    const suffix = allowed.slice(at + '{REG}'.length);
    if (!oid.startsWith(prefix) || !oid.endsWith(suffix) || oid.length <= prefix.length + suffix.length) return false;
    const region = oid.slice(prefix.length, oid.length - suffix.length);
    return sets.organizations.some((o) => o.code === region);
  });
}

/**
 * `descriptions`: a value without exactly 3 `^`-parts stops the loop with the format message; an unknown OID sets the
 * OID message and the loop goes on, so any format error wins over any OID error. See: Gateway API digest, 4 and 10.13.
 */
function descriptionsError(list: readonly string[], xds: XdsValueSets, sets: ValueSets): string | undefined {
  let out: string | undefined;
  for (const description of list) {
    const parts = javaSplitCaret(description);
    if (parts.length !== 3) {
      return 'Valorizzare correttamente il campo descriptions rispettando la forma: [CODICE]^[Descrizione]^[OID]';
    }
    if (!isAllowedDescriptionOid(parts[2], xds, sets)) {
      out = 'Valorizzare correttamente il campo descriptions rispettando i valori di riferimento per gli OID';
    }
  }
  return out;
}

/** Unknown event codes: the loop does not stop, so the last unknown value is the one reported. See: 3.3 step 2. */
function eventCodesError(list: readonly string[], xds: XdsValueSets): string | undefined {
  let out: string | undefined;
  for (const code of list) {
    if (findEventCode(xds, code) === undefined) out = `Il campo atti clinici ${code} non è consentito`;
  }
  return out;
}

/**
 * `SimpleDateFormat("yyyyMMddHHmmss").parse`, lenient: twelve fixed-width digits, then the seconds; trailing text is
 * ignored and out-of-range values roll over. See: Gateway API digest, 3.3 step 2 and 4.
 */
const GATEWAY_DATE = /^\d{13}/;

function datesError(start: string | null | undefined, stop: string | null | undefined): string | undefined {
  if (start !== undefined && start !== null && !GATEWAY_DATE.test(start)) return 'Il campo data inizio deve essere valorizzato correttamente';
  if (stop !== undefined && stop !== null && !GATEWAY_DATE.test(stop)) return 'Il campo data fine deve essere valorizzato correttamente';
  return undefined;
}

type MetadataDto = z.infer<ReturnType<typeof schemas>['metadata']>;
type PublicationDto = z.infer<ReturnType<typeof schemas>['update']>;

/** Italian body fields -> the operations' English names. See: xds-ini digest, 8.2 (REST field -> XDS attribute). */
function rename(dto: MetadataDto): PublicationMetadataFields {
  const fields: Record<string, unknown> = {
    healthcareFacilityType: dto.tipologiaStruttura,
    eventCodes: dto.attiCliniciRegoleAccesso,
    classCode: dto.tipoDocumentoLivAlto,
    practiceSetting: dto.assettoOrganizzativo,
    serviceStartTime: dto.dataInizioPrestazione,
    serviceStopTime: dto.dataFinePrestazione,
    repositoryType: dto.conservazioneANorma,
    contentType: dto.tipoAttivitaClinica,
    submissionSetUniqueId: dto.identificativoSottomissione,
    descriptions: dto.descriptions,
    administrativeRequests: dto.administrativeRequest,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
}

/** Mandatory fields in the dispatcher's order; the first missing wins. See: Gateway API digest, 3.3 step 2. */
function publicationMandatoryError(dto: PublicationDto, isReplace: boolean): string | undefined {
  if (isMissing(dto.identificativoDoc) && !isReplace) return 'Il campo identificativo documento deve essere valorizzato.';
  if (isMissing(dto.identificativoRep)) return 'Il campo identificativo rep deve essere valorizzato.';
  if (isMissing(dto.tipoDocumentoLivAlto)) return 'Il campo tipo documento liv alto deve essere valorizzato.';
  if (isMissing(dto.assettoOrganizzativo)) return 'Il campo assetto organizzativo deve essere valorizzato.';
  if (isMissing(dto.tipoAttivitaClinica)) return 'Il campo tipo attivita clinica deve essere valorizzato.';
  if (isMissing(dto.identificativoSottomissione)) return 'Il campo identificativo sottomissione deve essere valorizzato.';
  if (isMissing(dto.tipologiaStruttura)) return 'Il campo tipologia struttura deve essere valorizzato.';
  return undefined;
}

function checkPublication(dto: PublicationDto, isReplace: boolean, options: BodyParseOptions): PublicationRequest {
  const xds = options.xdsValueSets ?? xdsValueSets();
  const sets = options.valueSets ?? valueSets();
  const missing = publicationMandatoryError(dto, isReplace)
    ?? (dto.descriptions ? descriptionsError(dto.descriptions, xds, sets) : undefined)
    ?? (dto.attiCliniciRegoleAccesso ? eventCodesError(dto.attiCliniciRegoleAccesso, xds) : undefined);
  if (missing !== undefined) throw new FseError('mandatoryElement', missing);
  const badDate = datesError(dto.dataInizioPrestazione, dto.dataFinePrestazione);
  if (badDate !== undefined) throw new FseError('invalidFormat', badDate);
  if (!isValidDocumentId(dto.identificativoDoc)) throw new FseError('idDoc', "L'identificativo documento non è valido");
  const out: Record<string, unknown> = {
    ...rename(dto),
    workflowInstanceId: dto.workflowInstanceId ?? undefined,
    healthDataFormat: dto.healthDataFormat ?? undefined,
    mode: dto.mode ?? undefined,
    documentUniqueId: dto.identificativoDoc,
    repositoryUniqueId: dto.identificativoRep,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as unknown as PublicationRequest;
}

/** `POST /v1/documents` body (`PublicationCreationReqDTO`). See: Gateway API digest, 3.3. */
export function parsePublicationCreationBody(raw: string | undefined, options: BodyParseOptions = {}): PublicationRequest {
  return checkPublication(bind(schemasFor(options).creation, 'PublicationCreationReqDTO', raw), false, options);
}

/**
 * `PUT /v1/documents/{id}` body (`PublicationUpdateReqDTO`): `priorita` is an unknown field; `identificativoDoc` is
 * not in the mandatory list but must pass the id rule. See: Gateway API digest, 3.4.
 */
export function parsePublicationUpdateBody(raw: string | undefined, options: BodyParseOptions = {}): PublicationRequest {
  return checkPublication(bind(schemasFor(options).update, 'PublicationUpdateReqDTO', raw), true, options);
}

/**
 * `POST /v1/documents/validate-and-create` body. The OpenAPI names it `ValidateAndCreateDTO` (without
 * `workflowInstanceId`/`priorita`), but the code binds it as the creation DTO, so both are tolerated and messages
 * name `PublicationCreationReqDTO`. See: Gateway API digest, 3.7.
 */
export function parseValidateAndCreateBody(raw: string | undefined, options: BodyParseOptions = {}): PublicationRequest {
  return parsePublicationCreationBody(raw, options);
}

/** `PUT /v1/documents/validate-and-replace/{idDoc}` body, bound as the replace DTO. See: Gateway API digest, 3.8. */
export function parseValidateAndReplaceBody(raw: string | undefined, options: BodyParseOptions = {}): PublicationRequest {
  return parsePublicationUpdateBody(raw, options);
}

/**
 * `PUT /v1/documents/{id}/metadata[-iti-57]` body (`PublicationMetadataReqDTO`). Order [CODE]: `tipoDocumentoLivAlto`,
 * event codes, dates, descriptions; all reported as `/msg/mandatory-element` (the update path raises the date
 * message with that type too). See: Gateway API digest, 3.6.
 */
export function parsePublicationMetadataBody(raw: string | undefined, options: BodyParseOptions = {}): MetadataUpdateRequest {
  const dto = bind(schemasFor(options).metadata, 'PublicationMetadataReqDTO', raw);
  const xds = options.xdsValueSets ?? xdsValueSets();
  const sets = options.valueSets ?? valueSets();
  const error = (isMissing(dto.tipoDocumentoLivAlto) ? 'Il campo tipo documento liv alto deve essere valorizzato.' : undefined)
    ?? (dto.attiCliniciRegoleAccesso ? eventCodesError(dto.attiCliniciRegoleAccesso, xds) : undefined)
    ?? datesError(dto.dataInizioPrestazione, dto.dataFinePrestazione)
    ?? (dto.descriptions ? descriptionsError(dto.descriptions, xds, sets) : undefined);
  if (error !== undefined) throw new FseError('mandatoryElement', error);
  return rename(dto) as MetadataUpdateRequest;
}
