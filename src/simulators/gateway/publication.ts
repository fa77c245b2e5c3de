import { FseError } from '../../errors/fse-error.js';
import { checkAttachmentHash, checkClaimsAgainstCda, type SignatureClaims } from '../../jwt/claims.js';
import type { Logger } from '../../logging/logger.js';
import type { RequestContext } from '../../logging/context.js';
import { validate } from '../../operations/validate.js';
import { composeWarning } from '../../operations/warnings.js';
import { EXTRACTION_FAILED, extractCda } from '../../pdf/cda-extractor.js';
import { cdaValidationKey, sha256Hex } from '../../pdf/hashes.js';
import type { TokenVerifier } from '../../rest/token-verifier.js';
import type { Headers, MultipartBody, RestResponse } from '../../rest/rest-types.js';
import { readCdaHeader } from '../../validation/cda-header.js';
import type { CdaValidator } from '../../validation/validation-pool.js';
import { withXml, XmlInputError } from '../../xml/xml-toolkit.js';
import { localIniOutcome } from './ini-dispatch.js';
import type { IniFailureMode, IniLeg } from './ini-leg.js';
import { isValidDocumentId, parsePublicationBody, type PublicationBody } from './publication-body.js';
import { inPhase, SimProblem } from './sim-errors.js';
import { addEvent, type Caller, type SimState, type StatusEvent } from './sim-state.js';

/** A decoded call to one of the simulated endpoints. */
export interface SimInput {
  readonly headers: Headers;
  readonly ctx: RequestContext;
  readonly caller: Caller;
  readonly multipart?: MultipartBody;
  readonly json?: string;
  /** The path's document id (already percent-decoded). */
  readonly pathId?: string;
}

export interface SimOperationDeps {
  readonly state: SimState;
  readonly tokens: TokenVerifier;
  readonly validator: CdaValidator;
  readonly logger: Logger;
  /** The simulator's clock (moved by the clock-offset switch). */
  readonly now?: () => Date;
  /** INI behind the simulator (the `ini` option); absent, the simulator's map stands for INI. */
  readonly ini?: IniLeg;
  /** The `iniFailure` switch. */
  readonly iniFailure?: () => IniFailureMode;
}

export type PublicationKind = 'create' | 'replace' | 'validate-and-create' | 'validate-and-replace';

/** The warning of a creation whose `mode` was omitted. See: Gateway API digest, 3.3 step 16. */
const NO_MODE_WARNING = 'Attenzione, non è stata selezionata la modalità di estrazione del CDA';

/** The `file` and `requestBody` parts; a missing one is Spring's 400. See: Gateway API digest, 2.2. */
export function partsOf(body: MultipartBody | undefined): { file: Buffer; rawBody: string } {
  const file = body?.files.get('file') ?? (body?.fields.has('file') ? Buffer.from(body.fields.get('file') ?? '') : undefined);
  if (!file) throw new FseError('genericBadRequest', "Required part 'file' is not present.");
  const rawBody = body?.fields.get('requestBody') ?? body?.files.get('requestBody')?.toString('utf8');
  if (rawBody === undefined) throw new FseError('genericBadRequest', "Required part 'requestBody' is not present.");
  return { file, rawBody };
}

interface Checked {
  readonly claims: SignatureClaims;
  readonly dto: PublicationBody;
  readonly file: Buffer;
  readonly cdaText: string;
  readonly rawBody: string;
  readonly warning: string;
}

/**
 * Creation, replacement and validate-and-*: the dispatcher's order, PAdES checks and metadata mapping excepted.
 * The validation record is consumed before the day, hash and old-document checks, so any later failure needs a new
 * validation. See: Gateway API digest, 3.3 (steps 1-16), 3.4, 3.7, 3.8 and 7.7.
 */
export async function handlePublication(kind: PublicationKind, input: SimInput, deps: SimOperationDeps): Promise<RestResponse> {
  const replacing = kind === 'replace' || kind === 'validate-and-replace';
  const combined = kind === 'validate-and-create' || kind === 'validate-and-replace';
  // validate-and-*: everything up to the validation is a validation-family error. See: Gateway API digest, 3.7.
  const checked = await inPhase(combined ? 'validation' : 'publication', () => check(kind, input, deps));

  return inPhase('publication', async () => {
    const { claims, dto, file } = checked;
    const taken = await deps.state.records.take(cdaValidationKey(checked.cdaText), deps.now?.());
    const mismatch = taken.kind !== 'missing' && dto.workflowInstanceId !== undefined && dto.workflowInstanceId !== taken.record.workflowInstanceId;
    if (taken.kind === 'missing' || mismatch) {
      if (taken.kind === 'found') await deps.state.records.put(taken.record); // looked up (step 10) before consumed (11)
      throw new FseError('cdaMatch', 'Il CDA non risulta validato');
    }
    if (taken.kind === 'expired') throw new FseError('maxDayLimit', 'Error: cannot publish documents older than 5 days');
    checkAttachmentHash(claims, sha256Hex(file));
    const workflowInstanceId = taken.record.workflowInstanceId;
    const id = dto.identificativoDoc ?? '';
    // SEND_TO_INI: INI's answer after this one with the `ini` option, else at once from the simulator's map.
    const sendToIni: SendToIni = (event, duplicate) => {
      if (deps.ini) {
        deps.ini.publish({
          ctx: input.ctx, caller: input.caller, claims, workflowInstanceId, documentId: id, tipoAttivita: event.tipoAttivita,
          rawBody: checked.rawBody, pdf: file, ...(replacing ? { replaces: input.pathId ?? '' } : {}),
        });
      } else {
        addEvent(deps.state, input.ctx, input.caller, { ...event, eventType: 'SEND_TO_INI', ...localIniOutcome(deps.iniFailure?.() ?? 'none', duplicate) });
      }
    };
    if (replacing) replaceInIndex(input, deps.state, id, workflowInstanceId, sendToIni);
    else createInIndex(input, deps.state, id, workflowInstanceId, dto, sendToIni);
    return {
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: { traceID: input.ctx.traceId, spanID: input.ctx.spanId, workflowInstanceId, warning: checked.warning },
    };
  });
}

async function check(kind: PublicationKind, input: SimInput, deps: SimOperationDeps): Promise<Checked> {
  const replacing = kind === 'replace' || kind === 'validate-and-replace';
  if (kind === 'replace' && !isValidDocumentId(input.pathId)) {
    throw new FseError('idDoc', "L'identificativo documento fornito in richiesta non è valido", { instance: '/invalid-req-id' });
  }
  const { file, rawBody } = partsOf(input.multipart);
  // attachment_hash is compared later, after the record is consumed (step 13).
  const claims = await deps.tokens.verifyFor(replacing ? 'replace' : 'create', input.headers);
  const dto = parsePublicationBody(rawBody, replacing ? 'replace' : 'create');
  if (!isValidDocumentId(dto.identificativoDoc)) throw new FseError('idDoc', "L'identificativo documento non è valido");
  // PAdES (step 6) is out of the simulator's scope: unsigned PDFs are accepted.
  if (kind === 'validate-and-create' || kind === 'validate-and-replace') {
    const result = await validate({ activity: 'VALIDATION', mode: dto.mode, pdf: file, claims }, {
      validator: deps.validator, records: deps.state.records, logger: deps.logger, reportRegional: false,
    });
    addEvent(deps.state, input.ctx, input.caller, {
      eventType: replacing ? 'VALIDATION_FOR_REPLACE' : 'VALIDATION_FOR_PUBLICATION', eventStatus: 'SUCCESS',
      workflowInstanceId: result.workflowInstanceId, identificativoDocumento: dto.identificativoDoc,
    });
    const extracted = await extractCda(file, dto.mode);
    // Only the validation warnings, no extraction warning. See: Gateway API digest, 3.7.
    const warning = composeWarning({ signed: false, modeDeclared: true, national: result.report.warnings, regional: [] }) ?? '';
    return { claims, dto, file, cdaText: extracted.cdaText, rawBody, warning };
  }
  const extracted = await extractCda(file, dto.mode);
  const header = readHeader(extracted.cdaBytes);
  checkClaimsAgainstCda(claims, { code: header.code?.code, codeSystem: header.code?.codeSystem, patientIds: header.patientIds });
  return { claims, dto, file, cdaText: extracted.cdaText, rawBody, warning: dto.mode ? '' : NO_MODE_WARNING };
}

function readHeader(cda: Uint8Array) {
  try {
    return withXml(cda, readCdaHeader);
  } catch (err) {
    if (err instanceof XmlInputError) throw new FseError('cdaElement', EXTRACTION_FAILED, { cause: err });
    throw err;
  }
}

/** Records the SEND_TO_INI of an accepted operation; `duplicate` is the refusal the simulator's own map gives. */
type SendToIni = (event: Pick<StatusEvent, 'workflowInstanceId' | 'identificativoDocumento' | 'tipoAttivita'>, duplicate?: string) => void;

/** Indexes a creation; a duplicate id is accepted (202) and refused later by INI. See: Gateway API digest, 3.3. */
function createInIndex(input: SimInput, state: SimState, id: string, workflowInstanceId: string, dto: PublicationBody, sendToIni: SendToIni): void {
  const doc = state.documents.get(id) ?? { id, state: 'published', workflowInstanceId, publications: 0, metadataUpdates: 0 };
  doc.publications += 1;
  const duplicate = doc.publications > 1 && doc.state === 'published';
  if (!duplicate) Object.assign(doc, { state: 'published', workflowInstanceId });
  state.documents.set(id, doc);
  const common = { workflowInstanceId, identificativoDocumento: id, tipoAttivita: dto.tipoAttivitaClinica };
  addEvent(state, input.ctx, input.caller, { ...common, eventType: 'PUBLICATION', eventStatus: 'SUCCESS' });
  sendToIni(common, duplicate ? `uniqueId ${id} già presente` : undefined);
}

/** The old document must be on INI; else 404 `/msg/record-not-found`. See: Gateway API digest, 3.4 and 3.8. */
function replaceInIndex(input: SimInput, state: SimState, id: string, workflowInstanceId: string, sendToIni: SendToIni): void {
  const oldId = input.pathId ?? '';
  const old = state.documents.get(oldId);
  if (!old || old.state !== 'published') {
    throw new SimProblem('recordNotFound', `IniException: documento ${oldId} non trovato`, workflowInstanceId);
  }
  old.state = 'replaced';
  old.replacedBy = id;
  state.documents.set(id, { id, state: 'published', workflowInstanceId, publications: 1, metadataUpdates: 0, replaces: oldId });
  const common = { workflowInstanceId, identificativoDocumento: id };
  addEvent(state, input.ctx, input.caller, { ...common, eventType: 'REPLACE', eventStatus: 'SUCCESS' });
  sendToIni(common);
}
