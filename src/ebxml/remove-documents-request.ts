import type { XmlElement } from 'libxml2-wasm';
import type { DocumentRequest } from '../domain/retrieve.js';
import { NS } from '../xml/xml-toolkit.js';
import { decodeDocumentRequests, encodeDocumentRequests } from './retrieve-document-set.js';
import type { XMLBuilder } from './rim-write.js';

/**
 * The ITI-86 body codec: `rmd:RemoveDocumentsRequest` holding 1..n `xds:DocumentRequest` (RepositoryUniqueId,
 * DocumentUniqueId, HomeCommunityId optional), the same elements as ITI-43's request; the answer is a plain
 * `rs:RegistryResponse` (`registry-response.ts`). See: xds-ini digest 1 (rmd namespace), 2.3 (actions); IHE ITI
 * RMD supplement 3.86.4.1.2.
 */
export function decodeRemoveDocumentsRequest(el: XmlElement): DocumentRequest[] {
  return decodeDocumentRequests(el, 'RemoveDocumentsRequest');
}

export function encodeRemoveDocumentsRequest(requests: readonly DocumentRequest[], parent: XMLBuilder): void {
  encodeDocumentRequests(requests, parent.ele(NS.rmd, 'rmd:RemoveDocumentsRequest'));
}
