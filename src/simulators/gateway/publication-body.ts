import { FseError } from '../../errors/fse-error.js';
import type { MetadataUpdateRequest, PublicationRequest } from '../../domain/publication-request.js';

/**
 * The request bodies of creation, replacement and metadata update, parsed as strictly as the Gateway's Jackson
 * binding: unknown fields and wrong types are refused, mandatory fields checked in the dispatcher's order.
 * Event codes, descriptions and value sets are not checked by the simulator. See: Gateway API digest, 3.3 step 2, 3.6, 4.
 */
export type BodyKind = 'create' | 'replace' | 'metadata';

/** The fields the simulator acts on; the rest are accepted and ignored. */
export interface PublicationBody {
  readonly workflowInstanceId?: string;
  readonly mode?: 'ATTACHMENT' | 'RESOURCE';
  readonly identificativoDoc?: string;
  readonly tipoDocumentoLivAlto?: string;
  readonly tipoAttivitaClinica?: string;
}

type FieldType = 'string' | 'string[]' | 'boolean' | 'mode' | 'format';

const ALL_FIELDS: Readonly<Record<string, FieldType>> = {
  workflowInstanceId: 'string', healthDataFormat: 'format', mode: 'mode', tipologiaStruttura: 'string',
  attiCliniciRegoleAccesso: 'string[]', identificativoDoc: 'string', identificativoRep: 'string',
  tipoDocumentoLivAlto: 'string', assettoOrganizzativo: 'string', dataInizioPrestazione: 'string',
  dataFinePrestazione: 'string', conservazioneANorma: 'string', tipoAttivitaClinica: 'string',
  identificativoSottomissione: 'string', descriptions: 'string[]', administrativeRequest: 'string[]', priorita: 'boolean',
};

/** Fields each DTO lacks. See: Gateway API digest, 3.4 (no `priorita`), 3.6 and 4 (metadata). */
const EXCLUDED: Readonly<Record<BodyKind, readonly string[]>> = {
  create: [],
  replace: ['priorita'],
  metadata: ['workflowInstanceId', 'healthDataFormat', 'mode', 'identificativoDoc', 'identificativoRep', 'priorita'],
};

const DTO_CLASS: Readonly<Record<BodyKind, string>> = {
  create: 'PublicationCreationReqDTO', replace: 'PublicationUpdateReqDTO', metadata: 'PublicationMetadataReqDTO',
};

/** Mandatory fields in the dispatcher's order, first missing wins. See: Gateway API digest, 3.3 step 2 and 3.6. */
const MANDATORY: readonly (readonly [string, string])[] = [
  ['identificativoDoc', 'identificativo documento'], ['identificativoRep', 'identificativo rep'],
  ['tipoDocumentoLivAlto', 'tipo documento liv alto'], ['assettoOrganizzativo', 'assetto organizzativo'],
  ['tipoAttivitaClinica', 'tipo attivita clinica'], ['identificativoSottomissione', 'identificativo sottomissione'],
  ['tipologiaStruttura', 'tipologia struttura'],
];

const typeOk = (type: FieldType, v: unknown): boolean => {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'boolean': return typeof v === 'boolean';
    case 'mode': return v === 'ATTACHMENT' || v === 'RESOURCE';
    case 'format': return v === 'CDA';
  }
};

/** Parses one body; throws the Gateway's `/msg/mandatory-element` or `/msg/invalid-format`. */
export function parsePublicationBody(raw: string | undefined, kind: BodyKind): PublicationBody {
  const className = DTO_CLASS[kind];
  const conversion = () => new FseError('mandatoryElement', `Errore durante la conversione da json a oggetto ${className}`);
  let json: unknown;
  try {
    json = JSON.parse(raw ?? '');
  } catch {
    throw conversion();
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw conversion();
  const body = json as Record<string, unknown>;
  for (const [name, value] of Object.entries(body)) {
    const type = ALL_FIELDS[name];
    if (type === undefined || EXCLUDED[kind].includes(name)) {
      throw new FseError('mandatoryElement', `Parametro non riconosciuto all'interno della request nella conversione di ${className}`);
    }
    if (value !== null && !typeOk(type, value)) throw conversion();
  }
  const present = (name: string) => typeof body[name] === 'string' && body[name] !== '';
  // Replace does not list identificativoDoc; metadata update enforces only tipoDocumentoLivAlto. See: 3.4, 3.6.
  const mandatory = kind === 'create' ? MANDATORY
    : kind === 'replace' ? MANDATORY.filter(([n]) => n !== 'identificativoDoc')
      : MANDATORY.filter(([n]) => n === 'tipoDocumentoLivAlto');
  for (const [name, label] of mandatory) {
    if (!present(name)) throw new FseError('mandatoryElement', `Il campo ${label} deve essere valorizzato.`);
  }
  for (const [name, label] of [['dataInizioPrestazione', 'inizio'], ['dataFinePrestazione', 'fine']] as const) {
    const v = body[name];
    if (typeof v === 'string' && !/^\d{14}$/.test(v)) {
      throw new FseError('invalidFormat', `Il campo data ${label} deve essere valorizzato correttamente`);
    }
  }
  const s = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  return {
    workflowInstanceId: s('workflowInstanceId') || undefined,
    mode: s('mode') as PublicationBody['mode'],
    identificativoDoc: s('identificativoDoc'),
    tipoDocumentoLivAlto: s('tipoDocumentoLivAlto'),
    tipoAttivitaClinica: s('tipoAttivitaClinica'),
  };
}

/** Body field -> the name the metadata builder reads. See: xds-ini digest, 8.2 (REST field -> XDS attribute). */
const XDS_NAMES: Readonly<Record<string, string>> = {
  workflowInstanceId: 'workflowInstanceId', healthDataFormat: 'healthDataFormat', mode: 'mode',
  identificativoDoc: 'documentUniqueId', identificativoRep: 'repositoryUniqueId', tipologiaStruttura: 'healthcareFacilityType',
  attiCliniciRegoleAccesso: 'eventCodes', tipoDocumentoLivAlto: 'classCode', assettoOrganizzativo: 'practiceSetting',
  dataInizioPrestazione: 'serviceStartTime', dataFinePrestazione: 'serviceStopTime', conservazioneANorma: 'repositoryType',
  tipoAttivitaClinica: 'contentType', identificativoSottomissione: 'submissionSetUniqueId', descriptions: 'descriptions',
  administrativeRequest: 'administrativeRequests',
};

/** A body already accepted by {@link parsePublicationBody}, under the metadata builder's names (nulls dropped). */
function renamed(raw: string, kind: BodyKind): Record<string, unknown> {
  parsePublicationBody(raw, kind);
  const entries = Object.entries(JSON.parse(raw) as Record<string, unknown>)
    .filter(([name, value]) => value !== null && XDS_NAMES[name] !== undefined)
    .map(([name, value]) => [XDS_NAMES[name], value]);
  return Object.fromEntries(entries) as Record<string, unknown>;
}

/** A creation or replacement body as the Gateway maps it to the DocumentEntry it sends INI. See: 3.3 step 14. */
export function publicationRequestOf(raw: string, kind: 'create' | 'replace'): PublicationRequest {
  return renamed(raw, kind) as unknown as PublicationRequest;
}

/** A metadata-update body as the Gateway merges it with INI's metadata. See: Gateway API digest, 3.6. */
export function metadataRequestOf(raw: string): MetadataUpdateRequest {
  return renamed(raw, 'metadata') as unknown as MetadataUpdateRequest;
}

/** The document id rule: a `^` and something after the last one. See: Gateway API digest, 3.0 and 11.1 (`/msg/id-doc`). */
export function isValidDocumentId(id: string | undefined): id is string {
  if (!id) return false;
  const caret = id.lastIndexOf('^');
  return caret >= 0 && caret < id.length - 1;
}
