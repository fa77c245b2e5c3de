import { FISCAL_CODE_OID } from '../domain/ids.js';
import { FseError } from '../errors/fse-error.js';
import { valueSets, type ValueSets } from '../mappings/value-sets.js';
import { isValidFiscalCode } from './fiscal-code.js';

/**
 * The claims of the FSE-JWT-Signature token and the dispatcher's checks on them.
 * See: Gateway API digest, sections 5.3, 5.4 and 5.5.
 */

/** Claims of the FSE-JWT-Signature token as received (any of them may be missing). See: Gateway API digest, 5.3. */
export interface SignatureClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly jti?: string;
  readonly iat?: number;
  readonly exp?: number;
  readonly subject_role?: string;
  readonly subject_organization_id?: string;
  readonly subject_organization?: string;
  readonly locality?: string;
  readonly person_id?: string;
  readonly patient_consent?: boolean;
  readonly purpose_of_use?: string;
  readonly action_id?: string;
  readonly resource_hl7_type?: string;
  readonly attachment_hash?: string;
  readonly subject_application_id?: string;
  readonly subject_application_vendor?: string;
  readonly subject_application_version?: string;
  readonly use_subject_as_author?: boolean;
}

/** The Gateway operations whose signature token is checked. See: Gateway API digest, 5.4. */
export type ClaimsOperation = 'validation' | 'create' | 'replace' | 'update' | 'delete';

/** Options of {@link checkClaims}. */
export interface CheckClaimsOptions {
  /** Accept 11-digit and STP/ENI codes as fiscal codes (`validation.allow-special-fiscal-code`). */
  readonly allowSpecialFiscalCode?: boolean;
  /** Value sets to check against; the project's `mappings/` by default. */
  readonly valueSets?: ValueSets;
}

const INSTANCE_MISSING = '/jwt-mandatory-field-missing';
const INSTANCE_MALFORMED = '/jwt-mandatory-field-malformed';


/** Claims whose absence the dispatcher reports first, in its order. See: Gateway API digest, 5.4. */
const MANDATORY_CLAIMS = [
  'patient_consent', 'action_id', 'locality', 'person_id', 'purpose_of_use', 'subject_organization',
  'subject_organization_id', 'subject_role', 'subject_application_id', 'subject_application_vendor',
  'subject_application_version',
] as const satisfies readonly (keyof SignatureClaims)[];

/** Per-operation rules, one row per operation. See: Gateway API digest, 5.4 (table) and 12 item 15. */
export const OPERATION_RULES = {
  validation: { actions: ['CREATE', 'UPDATE'], purposes: ['TREATMENT'], checkLocality: false, needsHl7Type: true },
  create: { actions: ['CREATE'], purposes: ['TREATMENT'], checkLocality: true, needsHl7Type: true },
  replace: { actions: ['UPDATE'], purposes: ['TREATMENT', 'UPDATE'], checkLocality: true, needsHl7Type: true },
  update: { actions: ['UPDATE'], purposes: ['UPDATE', 'ACCESS UPDATE'], checkLocality: true, needsHl7Type: true },
  delete: { actions: ['DELETE'], purposes: ['UPDATE'], checkLocality: true, needsHl7Type: false },
} as const satisfies Record<ClaimsOperation, {
  actions: readonly string[]; purposes: readonly string[]; checkLocality: boolean; needsHl7Type: boolean;
}>;

/** XON shape required of `locality` outside validation. See: Gateway API digest, 5.3 (`locality`). */
export const LOCALITY_XON = /^[^^]*\^{5}&[^&]*&ISO\^{4}[^^&]*$/;

function invalid(detail: string, instance: string): FseError {
  return new FseError('jwtValidation', detail, { instance });
}

/** Empty strings count as missing, as in the dispatcher (`isEmpty`). */
function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Whether a CX (`CF^^^&OID&ISO`, or a bare code) holds a valid fiscal code: bare codes and codes assigned by the MEF
 * OID are checked; codes of other assigning authorities are accepted unchecked. See: Gateway API digest, 5.3 (`sub`).
 */
export function isValidCxFiscalCode(cx: string | undefined, allowSpecial = false): boolean {
  if (cx === undefined) return false;
  const separator = cx.indexOf('^^^');
  if (separator < 0) return isValidFiscalCode(cx, { allowSpecial });
  const authority = cx.slice(separator + 3).split('&')[1];
  return authority === FISCAL_CODE_OID ? isValidFiscalCode(cx.slice(0, separator), { allowSpecial }) : true;
}

function findOrganization(sets: ValueSets, byId?: string, byDescription?: string) {
  return byId !== undefined
    ? sets.organizations.find((o) => o.code === byId)
    : sets.organizations.find((o) => o.description.toLowerCase() === byDescription?.toLowerCase());
}

/**
 * Applies the dispatcher's claim checks for one operation; throws the first failure as `FseError('jwtValidation')`
 * with the Gateway's verbatim Italian detail. Order (first failure wins): presence, `sub` fiscal code, enums,
 * organization coherence, then the operation's rules (`resource_hl7_type` presence, `action_id`, `purpose_of_use`,
 * `locality` XON). See: Gateway API digest, 5.4 and 5.5.
 */
export function checkClaims(claims: SignatureClaims, operation: ClaimsOperation, options: CheckClaimsOptions = {}): void {
  const sets = options.valueSets ?? valueSets();
  for (const name of MANDATORY_CLAIMS) {
    if (isMissing(claims[name])) throw invalid(`Il campo ${name} non è valorizzato`, INSTANCE_MISSING);
  }
  if (!isValidCxFiscalCode(claims.sub, options.allowSpecialFiscalCode)) {
    throw invalid('Il codice fiscale nel campo sub non è corretto', INSTANCE_MALFORMED);
  }
  const purpose = claims.purpose_of_use?.toUpperCase();
  const byId = findOrganization(sets, claims.subject_organization_id);
  const byDescription = findOrganization(sets, undefined, claims.subject_organization);
  const enums: [string, boolean][] = [
    ['action_id', sets.actionIds.some((a) => a.code === claims.action_id)],
    ['purpose_of_use', sets.purposesOfUse.some((p) => p.code === purpose)],
    ['subject_role', sets.subjectRoles.some((r) => r.code === claims.subject_role)],
    ['subject_organization_id', byId !== undefined],
    ['subject_organization', byDescription !== undefined],
  ];
  for (const [name, known] of enums) {
    if (!known) throw invalid(`Il campo ${name} non è corretto`, INSTANCE_MALFORMED);
  }
  if (byId !== byDescription) {
    throw invalid('I campi subject_organization_id e subject_organization non sono coerenti', INSTANCE_MALFORMED);
  }
  const rules = OPERATION_RULES[operation];
  if (rules.needsHl7Type && isMissing(claims.resource_hl7_type)) {
    throw invalid('Il campo resource_hl7_type non è valorizzato', INSTANCE_MISSING);
  }
  if (!(rules.actions as readonly string[]).includes(claims.action_id ?? '')) {
    throw invalid('Il campo action_id non è coerente con le operazioni richieste', INSTANCE_MALFORMED);
  }
  if (!(rules.purposes as readonly string[]).includes(purpose ?? '')) {
    throw invalid('Il campo purpose_of_use non coerente con operazione richiesta', INSTANCE_MALFORMED);
  }
  if (rules.checkLocality && !LOCALITY_XON.test(claims.locality ?? '')) {
    throw invalid('Il campo Locality non è valorizzato correttamente', INSTANCE_MALFORMED);
  }
}

/** What {@link checkClaimsAgainstCda} needs from the CDA: `ClinicalDocument/code` and `recordTarget/patientRole/id`. */
export interface CdaIdentity {
  readonly code?: string;
  readonly codeSystem?: string;
  readonly patientIds: readonly { readonly root?: string; readonly extension?: string }[];
}

/** Root of TEAM card (European health insurance card) patient ids, exempt from the fiscal-code check. */
export const TEAM_ROOT = '2.16.840.1.113883.2.9.4.3.7';

/**
 * Checks the token against the CDA: `resource_hl7_type` must equal `('code^^codeSystem')`, and the fiscal-code part
 * of `person_id` must equal the extension of one patient id, which must be a valid fiscal code unless that id is a
 * TEAM card. See: Gateway API digest, 5.3 (`person_id`, `resource_hl7_type`) and 5.5.
 */
export function checkClaimsAgainstCda(claims: SignatureClaims, cda: CdaIdentity, options: CheckClaimsOptions = {}): void {
  if (cda.code === undefined) {
    throw invalid('JWT payload: non è stato possibile verificare la tipologia del CDA', '/jwt-document-type');
  }
  if (claims.resource_hl7_type !== `('${cda.code}^^${cda.codeSystem ?? ''}')`) {
    throw invalid('JWT payload: Tipologia documento diversa dalla tipologia di CDA (code - codesystem)', '/jwt-document-type');
  }
  if (cda.patientIds.length === 0) {
    throw invalid('JWT payload: non è stato possibile verificare il codice fiscale del paziente presente nel CDA', '/jwt-person-id');
  }
  const personCf = (claims.person_id ?? '').split('^')[0] ?? '';
  const match = cda.patientIds.find((id) => id.extension === personCf);
  if (match === undefined) {
    throw invalid('JWT payload: Person id presente nel JWT differente dal codice fiscale del paziente previsto sul CDA', '/jwt-person-id');
  }
  if (match.root !== TEAM_ROOT && !isValidFiscalCode(personCf, { allowSpecial: options.allowSpecialFiscalCode })) {
    throw invalid('Il codice fiscale nel campo person_id non è corretto', INSTANCE_MALFORMED);
  }
}

/**
 * Compares `attachment_hash` with the SHA-256 (hex) of the uploaded PDF, case-insensitively.
 * See: Gateway API digest, 5.3 (`attachment_hash`) and 11.1 (`/msg/document-hash`).
 */
export function checkAttachmentHash(claims: SignatureClaims, sha256hex: string): void {
  if ((claims.attachment_hash ?? '').toLowerCase() !== sha256hex.toLowerCase()) {
    throw new FseError('documentHash', "L'hash del documento non corrisponde a quello presente nel JWT", {
      instance: '/jwt-hash-match',
    });
  }
}

const STRING_CLAIMS = [
  'iss', 'sub', 'jti', 'subject_role', 'subject_organization_id', 'subject_organization', 'locality', 'person_id',
  'purpose_of_use', 'action_id', 'resource_hl7_type', 'attachment_hash', 'subject_application_id',
  'subject_application_vendor', 'subject_application_version',
] as const;
const BOOLEAN_CLAIMS = ['patient_consent', 'use_subject_as_author'] as const;

/**
 * Types a decoded payload the way the dispatcher's JSON binding does: scalars are coerced to the claim's type
 * (`"true"` -> `true`, `120` -> `"120"`), unknown claims are ignored, and an object or array where a scalar is expected
 * makes the payload undecodable (`mandatoryElementToken`). See: Gateway API digest, 5.3 and 5.5.
 */
export function toSignatureClaims(payload: Readonly<Record<string, unknown>>): SignatureClaims {
  const out: Record<string, unknown> = {};
  const undecodable = (name: string) =>
    new FseError('mandatoryElementToken', `Il campo ${name} non è decodificabile`, { instance: INSTANCE_MISSING });
  for (const name of STRING_CLAIMS) {
    const v = payload[name];
    if (v === undefined || v === null) continue;
    if (typeof v === 'object') throw undecodable(name);
    out[name] = String(v);
  }
  for (const name of BOOLEAN_CLAIMS) {
    const v = payload[name];
    if (v === undefined || v === null) continue;
    if (typeof v === 'boolean') out[name] = v;
    else if (typeof v === 'string' && /^(true|false)$/i.test(v)) out[name] = v.toLowerCase() === 'true';
    else throw undecodable(name);
  }
  for (const name of ['iat', 'exp'] as const) {
    if (typeof payload[name] === 'number') out[name] = payload[name];
  }
  const aud = payload.aud;
  if (typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) out.aud = aud;
  return out as SignatureClaims;
}
