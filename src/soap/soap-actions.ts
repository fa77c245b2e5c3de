import type { XdsErrorCode } from '../errors/xds-codes.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import { EBXML_NS } from '../ebxml/rim-read.js';
import type { ResponseElement } from '../ebxml/failure-response.js';
import { NS } from '../xml/xml-toolkit.js';

/**
 * The SOAP action table (STYLE rule 4: tables are data): for each WS-Addressing action, the transaction and its
 * handler, the endpoint that serves it, the body element it carries, the response action and element, whether the
 * answer is MTOM, and the error code of an unexpected failure. See: xds-ini digest 2.3 (actions), 2.5 (MTOM), 4.6
 * (both delete actions), 9.
 */
export type SoapEndpoint = 'repository' | 'registry';

/** The handlers the router needs, one per transaction (file `iti<nn>-*.ts` each). */
export type SoapTransaction = 'iti18' | 'iti41' | 'iti42' | 'iti43' | 'iti57' | 'iti62' | 'iti86';

export interface SoapActionSpec {
  readonly transaction: SoapTransaction;
  readonly endpoint: SoapEndpoint;
  /** Namespace and local name of the one body element. */
  readonly body: { readonly ns: string; readonly localName: string };
  readonly responseAction: string;
  readonly response: ResponseElement;
  /** `always`: MTOM whatever the request (ITI-43); `mirror`: MTOM when the request was (ITI-41, for WCF); `never`. */
  readonly mtom: 'always' | 'mirror' | 'never';
  /** Code of a failure no handler anticipated. */
  readonly defaultError: XdsErrorCode;
}

const lcm = (localName: string) => ({ ns: EBXML_NS.lcm, localName });

export const SOAP_ACTIONS: Readonly<Record<string, SoapActionSpec>> = {
  [SOAP_ACTION.iti41]: {
    transaction: 'iti41', endpoint: 'repository', body: { ns: NS.xdsb, localName: 'ProvideAndRegisterDocumentSetRequest' },
    responseAction: SOAP_ACTION.iti41Response, response: 'RegistryResponse', mtom: 'mirror', defaultError: 'XDSRepositoryError',
  },
  [SOAP_ACTION.iti43]: {
    transaction: 'iti43', endpoint: 'repository', body: { ns: NS.xdsb, localName: 'RetrieveDocumentSetRequest' },
    responseAction: SOAP_ACTION.iti43Response, response: 'RetrieveDocumentSetResponse', mtom: 'always', defaultError: 'XDSRepositoryError',
  },
  // ITI-86 Remove Documents, the RMD profile's repository transaction. See: xds-ini digest 2.3; IHE ITI RMD 3.86.
  [SOAP_ACTION.iti86]: {
    transaction: 'iti86', endpoint: 'repository', body: { ns: NS.rmd, localName: 'RemoveDocumentsRequest' },
    responseAction: SOAP_ACTION.iti86Response, response: 'RegistryResponse', mtom: 'never', defaultError: 'XDSRepositoryError',
  },
  [SOAP_ACTION.iti42]: {
    transaction: 'iti42', endpoint: 'registry', body: lcm('SubmitObjectsRequest'),
    responseAction: SOAP_ACTION.iti42Response, response: 'RegistryResponse', mtom: 'never', defaultError: 'XDSRegistryError',
  },
  [SOAP_ACTION.iti18]: {
    transaction: 'iti18', endpoint: 'registry', body: { ns: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0', localName: 'AdhocQueryRequest' },
    responseAction: SOAP_ACTION.iti18Response, response: 'AdhocQueryResponse', mtom: 'never', defaultError: 'XDSRegistryError',
  },
  [SOAP_ACTION.iti57]: {
    transaction: 'iti57', endpoint: 'registry', body: lcm('SubmitObjectsRequest'),
    responseAction: SOAP_ACTION.iti57Response, response: 'RegistryResponse', mtom: 'never', defaultError: 'XDSRegistryError',
  },
  [SOAP_ACTION.iti62]: {
    transaction: 'iti62', endpoint: 'registry', body: lcm('RemoveObjectsRequest'),
    responseAction: SOAP_ACTION.iti62Response, response: 'RegistryResponse', mtom: 'never', defaultError: 'XDSRegistryError',
  },
  // INI's delete: the same RemoveObjectsRequest, a DocumentEntry-only list that cascades. See: xds-ini digest 4.6.
  [SOAP_ACTION.iniDelete]: {
    transaction: 'iti62', endpoint: 'registry', body: lcm('RemoveObjectsRequest'),
    responseAction: SOAP_ACTION.iniDeleteResponse, response: 'RegistryResponse', mtom: 'never', defaultError: 'XDSRegistryError',
  },
};

/**
 * The action of a request without `wsa:Action` nor a Content-Type action: the one action of this endpoint whose body
 * element matches (unambiguous for every element but SubmitObjectsRequest, which ITI-42 and ITI-57 share: there the
 * sender must say). See: xds-ini digest 2.3 (fallback to the body root element).
 */
export function actionForBody(endpoint: SoapEndpoint, ns: string, localName: string): string | undefined {
  const matches = Object.entries(SOAP_ACTIONS).filter(([, spec]) =>
    spec.endpoint === endpoint && spec.body.ns === ns && spec.body.localName === localName);
  const transactions = new Set(matches.map(([, spec]) => spec.transaction));
  return transactions.size === 1 ? matches[0]?.[0] : undefined;
}
