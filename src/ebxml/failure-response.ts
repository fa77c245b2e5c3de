import type { RegistryError } from '../errors/xds-codes.js';
import { encodeRegistryErrorList, RESPONSE_STATUS_URN } from './registry-error-list.js';
import { encodeRegistryResponse } from './registry-response.js';
import { EBXML_NS } from './rim-read.js';
import type { XMLBuilder } from './rim-write.js';
import { NS } from '../xml/xml-toolkit.js';

/** The element a response is, so a failure can be answered in the transaction's own form. */
export type ResponseElement = 'RegistryResponse' | 'AdhocQueryResponse' | 'RetrieveDocumentSetResponse';

const QUERY_NS = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';

/**
 * A Failure answered in the transaction's own response element, for errors found before or around a handler (an
 * ebRIM body that does not decode, an unexpected exception): business failures are responses, not faults
 * (STYLE rule 9). See: IHE ITI TF-3 4.2.4; ebRS 3.0 (AdhocQueryResponse needs a RegistryObjectList, even empty).
 */
export function encodeFailure(element: ResponseElement, errors: readonly RegistryError[], parent: XMLBuilder): void {
  switch (element) {
    case 'RegistryResponse':
      encodeRegistryResponse({ status: 'Failure', errors }, parent);
      return;
    case 'AdhocQueryResponse': {
      const el = parent.ele(QUERY_NS, 'query:AdhocQueryResponse', { status: RESPONSE_STATUS_URN.Failure });
      encodeRegistryErrorList(errors, el);
      el.ele(EBXML_NS.rim, 'rim:RegistryObjectList');
      return;
    }
    case 'RetrieveDocumentSetResponse':
      encodeRegistryResponse({ status: 'Failure', errors }, parent.ele(NS.xdsb, 'xdsb:RetrieveDocumentSetResponse'));
      return;
  }
}
