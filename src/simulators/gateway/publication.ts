import { FseError } from '../../errors/fse-error.js';
import { checkAttachmentHash, type SignatureClaims } from '../../jwt/claims.js';
import { EXTRACTION_FAILED, extractCda } from '../../pdf/cda-extractor.js';
import { cdaValidationKey, sha256Hex } from '../../pdf/hashes.js';
import { readCdaHeader } from '../../validation/cda-header.js';
import { withXml, XmlInputError } from '../../xml/xml-toolkit.js';
import { checkJwtAgainstCda, readUpload, runValidator, validationWarning, workflowIdOfCda } from './cda-steps.js';
import { checkCorrelation, loincFromResourceHl7Type } from './class-type-correlation.js';
import { localIniOutcome } from './ini-dispatch.js';
import { isValidDocumentId, parsePublicationBody, type PublicationBody } from './publication-body.js';
import { jsonAnswer, type SimResponse } from './sim-http.js';
import { partsOf, type SimInput, type SimOperationDeps } from './sim-operation.js';
import { inPhase, SimProblem } from './sim-errors.js';
import { addEvent, type SimState, type StatusEvent } from './sim-state.js';

export type PublicationKind = 'create' | 'replace' | 'validate-and-create' | 'validate-and-replace';

/** The warning of a creation whose `mode` was omitted. See: Gateway API digest, 3.3 step 16. */
const NO_MODE_WARNING = 'Attenzione, non è stata selezionata la modalità di estrazione del CDA';

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
export async function handlePublication(kind: PublicationKind, input: SimInput, deps: SimOperationDeps): Promise<SimResponse> {
  const replacing = kind === 'replace' || kind === 'validate-and-replace';
  const combined = kind === 'validate-and-create' || kind === 'validate-and-replace';
  // validate-and-*: everything up to the validation is a validation-family error. See: Gateway API digest, 3.7.
  const checked = await inPhase(combined ? 'validation' : 'publication', () => check(kind, input, deps));

  return inPhase('publication', async () => {
    const { claims, dto, file } = checked;
    const cdaKey = cdaValidationKey(checked.cdaText);
    const taken = deps.state.records.take(cdaKey, deps.now?.() ?? new Date());
    const mismatch = taken.kind !== 'missing' && dto.workflowInstanceId !== undefined && dto.workflowInstanceId !== taken.record.workflowInstanceId;
    if (taken.kind === 'missing' || mismatch) {
      if (taken.kind === 'found') deps.state.records.put(cdaKey, taken.record); // looked up (step 10) before consumed (11)
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
    return jsonAnswer(202, { traceID: input.ctx.traceId, spanID: input.ctx.spanId, workflowInstanceId, warning: checked.warning });
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
  if (kind === 'validate-and-create' || kind === 'validate-and-replace') return validateFirst(replacing, input, deps, { claims, dto, file, rawBody });
  const extracted = await extractCda(file, dto.mode);
  const header = readHeader(extracted.cdaBytes);
  checkJwtAgainstCda(claims, header);
  checkCorrelation(loincFromResourceHl7Type(claims.resource_hl7_type), dto.tipoDocumentoLivAlto);
  return { claims, dto, file, cdaText: extracted.cdaText, rawBody, warning: dto.mode ? '' : NO_MODE_WARNING };
}

/**
 * validate-and-*: steps 1-9 of a creation (extraction, JWT<->CDA and correlation before any id), then the
 * workflowInstanceId, a full validation as `VALIDATION` that stores its record, and `VALIDATION_FOR_*`. The warning is
 * the schematron's only: no signature or extraction warning. See: Gateway API digest, 3.7 and 3.8.
 */
async function validateFirst(
  replacing: boolean, input: SimInput, deps: SimOperationDeps, parsed: Omit<Checked, 'cdaText' | 'warning'>,
): Promise<Checked> {
  const { claims, dto } = parsed;
  const upload = await readUpload(parsed.file, dto.mode);
  checkJwtAgainstCda(claims, upload.header);
  checkCorrelation(loincFromResourceHl7Type(claims.resource_hl7_type), dto.tipoDocumentoLivAlto);
  const workflowInstanceId = workflowIdOfCda(upload.header);
  const cdaText = upload.extracted.cdaText;
  const report = await runValidator(deps.validator, cdaText, workflowInstanceId);
  deps.state.records.put(cdaValidationKey(cdaText), { workflowInstanceId, createdAt: new Date() });
  addEvent(deps.state, input.ctx, input.caller, {
    eventType: replacing ? 'VALIDATION_FOR_REPLACE' : 'VALIDATION_FOR_PUBLICATION', eventStatus: 'SUCCESS',
    workflowInstanceId, identificativoDocumento: dto.identificativoDoc,
  });
  const warning = validationWarning({ signed: false, modeDeclared: true, schematron: report.warnings }) ?? '';
  return { ...parsed, cdaText, warning };
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
