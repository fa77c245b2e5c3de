import { readFileSync } from 'node:fs';
import type { DecodedRegistryResponse } from '../../../src/ebxml/registry-response.js';
import { SOAP_ACTION } from '../../../src/metadata/vocabulary.js';
import { registryAnswer } from './soap-executors.js';
import { logStep, newUniqueId, resolveUseId, type TestLogs } from './registry-loader.js';
import { translateRim21 } from './rim21-translator.js';
import type { TestStep } from './testplan.js';

/**
 * A toolkit ProvideAndRegisterTransaction sent as ITI-41 over MTOM: the ebRIM 2.1 metadata translated to 3.0 as the
 * toolkit does (fresh uuids and uniqueIds, the test's patient unless `<NoPatientId/>`), each `<Document id=>` an
 * `xdsb:Document` whose id is its ExtrinsicObject's assigned uuid (or, when no ExtrinsicObject has that symbolic id,
 * the id as written, as the toolkit sends it), its bytes an MTOM part. The toolkit's AssignedUuids and AssignedUids
 * are logged, and `<id>_uid` reports for later `UseReport`s.
 */
const XDSB = 'urn:ihe:iti:xds-b:2007';
const XOP = 'http://www.w3.org/2004/08/xop/include';

export async function runProvideStep(step: TestStep, sectionDir: string, logs: TestLogs, baseUrl: string, patientId: string): Promise<DecodedRegistryResponse> {
  if (step.metadataFile === undefined) throw new Error(`step ${step.id} has no MetadataFile`);
  const symbols = new Map(step.useIds.map((use) => [use.symbol, resolveUseId(logs, sectionDir, use)]));
  const translation = translateRim21(readFileSync(step.metadataFile, 'utf8'), { patientId: step.noPatientId ? undefined : patientId, symbols, newUniqueId });
  const attachments = step.documents.map((d, i) => ({ contentId: `doc${i}.${Date.now()}@nist.test`, contentType: 'application/octet-stream', body: readFileSync(d.file) }));
  const documents = step.documents.map((d, i) =>
    `<xdsb:Document id="${translation.uuids.get(d.id) ?? d.id}"><xop:Include xmlns:xop="${XOP}" href="cid:${attachments[i]?.contentId ?? ''}"/></xdsb:Document>`);
  const body = `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${XDSB}">${translation.xml.replace(/^<\?xml[^>]*\?>/, '')}${documents.join('')}</xdsb:ProvideAndRegisterDocumentSetRequest>`;
  const response = await registryAnswer(`${baseUrl}/xds/repository`, SOAP_ACTION.iti41, body, attachments);
  const reports = new Map([...translation.uids].map(([id, uid]) => [`${id}_uid`, uid]));
  logStep(logs, sectionDir, step.id, { patientId, uuids: translation.uuids, uids: translation.uids, reports });
  return response;
}
