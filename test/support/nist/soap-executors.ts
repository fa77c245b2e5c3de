import { decodeAdhocQueryResponse } from '../../../src/ebxml/adhoc-query-response.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../../src/ebxml/registry-response.js';
import { decodeRetrieveResponse, type DecodedRetrieveResponse } from '../../../src/ebxml/retrieve-document-set.js';
import { SOAP_ACTION } from '../../../src/metadata/vocabulary.js';
import { buildMtom, type MtomAttachment } from '../../../src/soap-wire/mtom-builder.js';
import { withXml } from '../../../src/xml/xml-toolkit.js';
import { postRaw, requestEnvelope, withBody, type SoapAnswer } from '../soap-calls.js';
import type { QueryExecutor } from './query-step.js';
import type { RegisterXml } from './registry-loader.js';

/**
 * The toolkit's transactions sent over SOAP 1.2 to a running bridge: the request body is the testplan's XML as the
 * toolkit would send it (substituted, translated to ebRIM 3.0), put verbatim into a WS-Addressing envelope, plain or
 * MTOM; the answers are decoded with the project's codecs from what came back on the wire.
 */
const BODY = /<s:Body\s*\/>|<s:Body>\s*<\/s:Body>/;

/** POSTs `bodyXml` as the Body of a SOAP request with `action` to `url` (MTOM when there are attachments). */
export async function postBody(url: string, action: string, bodyXml: string, attachments?: readonly MtomAttachment[]): Promise<SoapAnswer> {
  const { xml: empty, messageId } = requestEnvelope(action, url, () => undefined);
  if (!BODY.test(empty)) throw new Error(`no empty Body in ${empty}`);
  const xml = empty.replace(BODY, `<s:Body>${bodyXml.replace(/^<\?xml[^>]*\?>/, '')}</s:Body>`);
  if (attachments === undefined) return postRaw(url, `application/soap+xml; charset=UTF-8; action="${action}"`, xml, messageId);
  const pkg = buildMtom({ rootXml: xml, action, attachments });
  return postRaw(url, pkg.contentType, pkg.body, messageId);
}

const expect200 = (answer: SoapAnswer, what: string): SoapAnswer => {
  if (answer.status !== 200) throw new Error(`${what} answered HTTP ${answer.status}: ${answer.raw.toString('utf8').slice(0, 1000)}`);
  return answer;
};

/** A RegistryResponse (ITI-41, ITI-42) as it came back. */
export async function registryAnswer(url: string, action: string, bodyXml: string, attachments?: readonly MtomAttachment[]): Promise<DecodedRegistryResponse> {
  const answer = expect200(await postBody(url, action, bodyXml, attachments), action);
  return withBody(answer, (body) => decodeRegistryResponse(body));
}

/** ITI-42 to the bridge's registry endpoint; a refusal throws with the registry's errors. */
export const registerOverSoap = (baseUrl: string): RegisterXml => async (xml) => {
  const response = await registryAnswer(`${baseUrl}/xds/registry`, SOAP_ACTION.iti42, xml);
  if (response.status !== 'Success') throw new Error(`Register.b refused: ${response.errors.map((e) => `${e.code}: ${e.codeContext}`).join('; ')}`);
};

/** ITI-18 to the bridge's registry endpoint; `responseXml` is the AdhocQueryResponse as received. */
export const queryOverSoap = (baseUrl: string): QueryExecutor => async (requestXml) => {
  const returnType = withXml(requestXml, (doc) => doc.eval('string(//*[local-name()="ResponseOption"]/@returnType)')) === 'ObjectRef' ? 'ObjectRef' : 'LeafClass';
  const answer = expect200(await postBody(`${baseUrl}/xds/registry`, SOAP_ACTION.iti18, requestXml), 'ITI-18');
  return withBody(answer, (body) => ({ responseXml: body.toString(), response: decodeAdhocQueryResponse(body, returnType) }));
};

/** ITI-43 to the bridge's repository endpoint (the answer is MTOM). */
export async function retrieveOverSoap(baseUrl: string, requestXml: string): Promise<DecodedRetrieveResponse> {
  const answer = expect200(await postBody(`${baseUrl}/xds/repository`, SOAP_ACTION.iti43, requestXml), 'ITI-43');
  return withBody(answer, (body) => decodeRetrieveResponse(body, answer.parts));
}
