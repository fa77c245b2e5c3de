import type { XmlElement } from 'libxml2-wasm';
import type { RegistryResponse, ResponseStatus } from '../domain/registry-response.js';
import type { ExtraSlots } from '../domain/xds.js';
import { decodeRegistryErrorList, decodeResponseStatus, encodeRegistryErrorList, RESPONSE_STATUS_URN, type DecodedRegistryError } from './registry-error-list.js';
import { EBXML_NS, elements, readSlots } from './rim-read.js';
import { writeSlots, type XMLBuilder } from './rim-write.js';

/**
 * The `rs:RegistryResponse` codec: the answer of ITI-41, ITI-42, ITI-57 and ITI-62, with the optional
 * ResponseSlotList. See: ebRS 3.0 RegistryResponseType; IHE ITI TF-3 4.2.4.
 */
export interface DecodedRegistryResponse {
  readonly status: ResponseStatus;
  readonly errors: readonly DecodedRegistryError[];
  readonly slots: ExtraSlots;
}

/** Appends `rs:RegistryResponse` (ResponseSlotList, then RegistryErrorList, in schema order) to `parent`. */
export function encodeRegistryResponse(response: RegistryResponse, parent: XMLBuilder): XMLBuilder {
  const el = parent.ele(EBXML_NS.rs, 'rs:RegistryResponse', { status: RESPONSE_STATUS_URN[response.status] });
  if (response.slots && Object.keys(response.slots).length > 0) {
    writeSlots(el.ele(EBXML_NS.rs, 'rs:ResponseSlotList'), response.slots);
  }
  encodeRegistryErrorList(response.errors, el);
  return el;
}

/** Decodes an `rs:RegistryResponse` element. */
export function decodeRegistryResponse(el: XmlElement): DecodedRegistryResponse {
  const [slotList] = elements(el, 'rs:ResponseSlotList');
  return {
    status: decodeResponseStatus(el),
    errors: decodeRegistryErrorList(el),
    slots: slotList ? Object.fromEntries(readSlots(slotList)) : {},
  };
}
