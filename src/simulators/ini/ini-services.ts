import type { ResponseElement } from '../../ebxml/failure-response.js';
import { EBXML_NS } from '../../ebxml/rim-read.js';
import { INI_SERVICE_PATHS, type IniService } from '../../metadata/ini-service-paths.js';
import { SOAP_ACTION } from '../../metadata/vocabulary.js';
import { NS } from '../../xml/xml-toolkit.js';

/**
 * The services of the simulated INI, at INI's own paths (`metadata/ini-service-paths.ts`, the client's too): for each
 * WS-Addressing action the operation it runs, the one body element it carries, its response action and element,
 * whether the answer is MTOM, and the SAML action-id coherent with it. Tables are data (STYLE rule 4).
 * See: xds-ini digest 2.3 (actions), 2.8 (endpoints), 4.6 (INI delete), 7.3 and 7.6 (action-id per operation).
 */

/** What the simulator does with a message. */
export type IniOperation = 'iti42' | 'iti57' | 'delete' | 'iti18' | 'iti43';


export interface IniActionSpec {
  readonly operation: IniOperation;
  readonly body: { readonly ns: string; readonly localName: string };
  readonly responseAction: string;
  readonly response: ResponseElement;
  readonly mtom: boolean;
  /** SAML action-id values accepted for the operation. See: xds-ini digest 7.3, 7.6. */
  readonly actionIds: readonly string[];
}

const QUERY_NS = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';
const submit = { ns: EBXML_NS.lcm, localName: 'SubmitObjectsRequest' };
const remove = { ns: EBXML_NS.lcm, localName: 'RemoveObjectsRequest' };
const query = { ns: QUERY_NS, localName: 'AdhocQueryRequest' };

const ITI42: IniActionSpec = {
  // Replace travels as ITI-42 with the JWT's UPDATE. See: xds-ini digest 4.2 (last paragraph), 7.3.
  operation: 'iti42', body: submit, responseAction: SOAP_ACTION.iti42Response, response: 'RegistryResponse', mtom: false,
  actionIds: ['CREATE', 'UPDATE'],
};
const ITI18: IniActionSpec = {
  operation: 'iti18', body: query, responseAction: SOAP_ACTION.iti18Response, response: 'AdhocQueryResponse', mtom: false,
  actionIds: ['READ'],
};
const DELETE: IniActionSpec = {
  operation: 'delete', body: remove, responseAction: SOAP_ACTION.iniDeleteResponse, response: 'RegistryResponse', mtom: false,
  actionIds: ['DELETE'],
};

/** Actions served on each path. Each path carries each body element once, so the body names the action when no header does. */
export const INI_ACTIONS: Readonly<Record<IniService, Readonly<Record<string, IniActionSpec>>>> = {
  registry: { [SOAP_ACTION.iti42]: ITI42, [SOAP_ACTION.iti18]: ITI18 },
  update: {
    [SOAP_ACTION.iti57]: {
      operation: 'iti57', body: submit, responseAction: SOAP_ACTION.iti57Response, response: 'RegistryResponse', mtom: false,
      actionIds: ['UPDATE'],
    },
  },
  // Both delete actions are accepted, the IHE one answered with its own response action. See: xds-ini digest 2.3.
  delete: { [SOAP_ACTION.iniDelete]: DELETE, [SOAP_ACTION.iti62]: { ...DELETE, responseAction: SOAP_ACTION.iti62Response } },
  references: { [SOAP_ACTION.iti18]: ITI18 },
  retrieve: {
    [SOAP_ACTION.iti43]: {
      operation: 'iti43', body: { ns: NS.xdsb, localName: 'RetrieveDocumentSetRequest' }, responseAction: SOAP_ACTION.iti43Response,
      response: 'RetrieveDocumentSetResponse', mtom: true, actionIds: ['READ'],
    },
  },
};

/** The service served at a path, if any. */
export function serviceAt(path: string): IniService | undefined {
  const found = (Object.entries(INI_SERVICE_PATHS) as [IniService, string][]).find(([, p]) => p === path);
  return found?.[0];
}

/** The action of a request without `wsa:Action` nor a Content-Type action: the one action of the path whose body matches. */
export function actionForBody(service: IniService, ns: string, localName: string): string | undefined {
  const found = Object.entries(INI_ACTIONS[service]).filter(([, spec]) => spec.body.ns === ns && spec.body.localName === localName);
  const operations = new Set(found.map(([, spec]) => spec.operation));
  return operations.size === 1 ? found[0]?.[0] : undefined;
}
