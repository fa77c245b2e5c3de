import type { XmlElement } from 'libxml2-wasm';
import type { EntryUuid } from '../domain/ids.js';
import { EbxmlError } from './ebxml-error.js';
import { attr, EBXML_NS, elements, requiredAttr, UUID_CONTEXT } from './rim-read.js';
import { rim, type XMLBuilder } from './rim-write.js';

/**
 * The ITI-62 (and INI delete) body codec: `lcm:RemoveObjectsRequest` with an `rim:ObjectRefList` of entryUUIDs. No
 * AdhocQuery and the default deletion scope only, as IHE restricts it. See: xds-ini digest 4.6; IHE ITI TF-2b 3.62.4.1.
 */
const DELETE_ALL = 'urn:oasis:names:tc:ebxml-regrep:DeletionScopeType:DeleteAll';

export function decodeRemoveObjectsRequest(el: XmlElement): EntryUuid[] {
  const scope = attr(el, 'deletionScope');
  if (scope !== undefined && scope !== DELETE_ALL) {
    throw new EbxmlError('XDSRegistryError', `deletionScope ${scope} is not supported (IHE allows only DeleteAll)`);
  }
  if (elements(el, 'rim:AdhocQuery').length > 0) {
    throw new EbxmlError('XDSRegistryError', 'RemoveObjectsRequest with an AdhocQuery is not supported (IHE ITI-62 lists ObjectRefs)');
  }
  const refs = elements(el, 'rim:ObjectRefList/rim:ObjectRef').map((r) => UUID_CONTEXT.resolve(requiredAttr(r, 'id'), 'ObjectRef/@id'));
  if (refs.length === 0) throw new EbxmlError('XDSRegistryError', 'RemoveObjectsRequest lists no ObjectRef');
  return refs;
}

export function encodeRemoveObjectsRequest(uuids: readonly EntryUuid[], parent: XMLBuilder): void {
  const list = rim(parent.ele(EBXML_NS.lcm, 'lcm:RemoveObjectsRequest'), 'ObjectRefList');
  for (const id of uuids) rim(list, 'ObjectRef', { id });
}
