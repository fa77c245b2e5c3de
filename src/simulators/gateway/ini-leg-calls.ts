import type { EntryUuid, UniqueId } from '../../domain/ids.js';
import type { QueryResult, QueryReturnType } from '../../domain/stored-query.js';
import type { Submission } from '../../domain/xds.js';
import { encodeAdhocQueryRequest } from '../../ebxml/adhoc-query-request.js';
import { decodeAdhocQueryResponse } from '../../ebxml/adhoc-query-response.js';
import type { DecodedRegistryError } from '../../ebxml/registry-error-list.js';
import { decodeRegistryResponse } from '../../ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../../ebxml/remove-objects-request.js';
import { EBXML_NS } from '../../ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../ebxml/submit-objects-request.js';
import { readResponseBody, type SoapCaller } from '../../soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../metadata/vocabulary.js';
import { INI_SERVICE_PATHS, type IniService } from '../../metadata/ini-service-paths.js';
import type { XmlBuilder } from '../../xml/xml-writer.js';

/**
 * The simulated Gateway's SOAP calls to INI, each service at its path under INI's base URL: ITI-42 (publish, replace),
 * GetDocuments by uniqueId (ObjectRef on "recupero riferimento", LeafClass on the registry), ITI-57 and INI delete.
 * Each answer is reduced to what the Gateway acts on: success, or the message its status events carry
 * (`SEVERITY:<sev>ERROR_CODE:<code>CODE CONTEXT:<context>`; warnings ignored). See: xds-ini digest 2.8, 4.2, 4.4-4.7, 9.
 */

export type IniOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

export type IniLookup =
  | { readonly ok: true; readonly result: QueryResult }
  | { readonly ok: false; readonly message: string };

/** The Gateway's rendering of INI errors. See: xds-ini digest 9 (INI specifics). */
export function iniErrorMessage(errors: readonly DecodedRegistryError[]): string {
  return errors.map((e) => `SEVERITY:${e.severity}ERROR_CODE:${e.code}CODE CONTEXT:${e.codeContext}`).join(' ');
}

const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export interface IniLegCalls {
  register(submission: Submission, assertion: string): Promise<IniOutcome>;
  update(submission: Submission, assertion: string): Promise<IniOutcome>;
  remove(uuids: readonly EntryUuid[], assertion: string): Promise<IniOutcome>;
  /** GetDocuments by uniqueId: ObjectRef on the references service, LeafClass on the registry. */
  getDocuments(uniqueId: string, returnType: QueryReturnType, assertion: string): Promise<IniLookup>;
}

export function iniLegCalls(caller: SoapCaller, baseUrl: string): IniLegCalls {
  const url = (service: IniService) => `${baseUrl.replace(/\/+$/, '')}${INI_SERVICE_PATHS[service]}`;
  const write = async (service: IniService, action: string, body: (parent: XmlBuilder) => void, assertionXml: string): Promise<IniOutcome> => {
    try {
      const answer = readResponseBody(await caller.call({ url: url(service), action, body, assertionXml }), decodeRegistryResponse);
      const errors = answer.errors.filter((e) => e.severity === 'Error');
      if (errors.length > 0 || answer.status === 'Failure') return { ok: false, message: iniErrorMessage(errors) || 'INI answered Failure' };
      return { ok: true };
    } catch (err) {
      return { ok: false, message: `Errore di comunicazione con INI: ${why(err)}` };
    }
  };
  const submit = (submission: Submission) => (parent: XmlBuilder) =>
    void encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
  return {
    register: (submission, assertion) => write('registry', SOAP_ACTION.iti42, submit(submission), assertion),
    update: (submission, assertion) => write('update', SOAP_ACTION.iti57, submit(submission), assertion),
    remove: (uuids, assertion) => write('delete', SOAP_ACTION.iniDelete, (parent) => encodeRemoveObjectsRequest(uuids, parent), assertion),
    async getDocuments(uniqueId, returnType, assertionXml) {
      const request = { returnType, query: { type: 'GetDocuments' as const, documents: { uniqueIds: [uniqueId as UniqueId] } } };
      try {
        const res = await caller.call({
          url: url(returnType === 'ObjectRef' ? 'references' : 'registry'), action: SOAP_ACTION.iti18, assertionXml,
          body: (parent) => void encodeAdhocQueryRequest(request, parent),
        });
        const answer = readResponseBody(res, (el) => decodeAdhocQueryResponse(el, returnType));
        const errors = answer.errors.filter((e) => e.severity === 'Error');
        if (errors.length > 0 || answer.status === 'Failure') return { ok: false, message: iniErrorMessage(errors) || 'INI answered Failure' };
        return { ok: true, result: answer.result };
      } catch (err) {
        return { ok: false, message: `Errore di comunicazione con INI: ${why(err)}` };
      }
    },
  };
}
