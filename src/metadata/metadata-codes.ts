import { randomUUID } from 'node:crypto';
import type { Code } from '../domain/xds.js';
import { parseEntryUuid, type EntryUuid } from '../domain/ids.js';
import { FseError } from '../errors/fse-error.js';
import {
  findByValue, findCode, findEventCode, type XdsCode, type XdsCodeSet, type XdsEnumCode, type XdsValueSets,
} from '../mappings/xds-value-sets.js';
import type { PublicationMetadataFields } from '../domain/publication-request.js';
import { isDtm14 } from './dtm.js';
import { SLOT } from './vocabulary.js';

/**
 * The request -> XDS code translations shared by publication and metadata update, and the one error of metadata
 * building. See: xds-ini digest, 8.2; Gateway API digest, 8.2 and 10.
 */

/**
 * A failure while building metadata. The Gateway reports any failure of that step as 400 `/msg/generic-error` with the
 * underlying message, under the instance `/request-invalid-date-format` (a code quirk). See: Gateway API digest,
 * 3.3 step 14.
 */
export function metadataError(detail: string): FseError {
  return new FseError('genericBadRequest', detail, { instance: '/request-invalid-date-format' });
}

/** A fresh entryUUID. */
export function newEntryUuid(): EntryUuid {
  return parseEntryUuid(`urn:uuid:${randomUUID()}`);
}

function toCode(set: XdsCodeSet, entry: XdsCode): Code {
  return entry.display === undefined ? { code: entry.code, scheme: set.scheme } : { code: entry.code, scheme: set.scheme, display: entry.display };
}

/** The coded value of `code` in `set`; throws {@link metadataError} when the code is not in the set. */
export function codeOf(set: XdsCodeSet, code: string | undefined, attribute: string): Code {
  const entry = findCode(set, code);
  if (!entry) throw metadataError(`Error: Invalid value for ${attribute}: ${code ?? 'null'}`);
  return toCode(set, entry);
}

/** The coded value of a request enum value (`MdsPN_DGC` -> `MdsPN-DGC`); throws {@link metadataError} if unknown. */
export function codeOfValue(set: XdsCodeSet<XdsEnumCode>, value: string | undefined, attribute: string): Code {
  const entry = findByValue(set, value);
  if (!entry) throw metadataError(`Error: Invalid value for ${attribute}: ${value ?? 'null'}`);
  return toCode(set, entry);
}

/** Event codes, matched case-insensitively and written with the value set's spelling. See: xds-ini digest, 6.9. */
export function eventCodesOf(sets: XdsValueSets, values: readonly string[]): Code[] {
  return values.map((value) => {
    const entry = findEventCode(sets, value);
    if (!entry) throw metadataError(`Error: Invalid value for eventCodeList: ${value}`);
    return toCode(sets.eventCodes, entry);
  });
}

/** A service start/stop time, kept only when it is a valid 14-digit DTM. See: xds-ini digest, 3.3 and 8.2. */
export function serviceTime(value: string | undefined): string | undefined {
  return value !== undefined && isDtm14(value) ? value : undefined;
}

/**
 * The Italian slots that come from the request: `urn:ita:2017:repository-type`, `urn:ita:2022:description` (every
 * value) and `urn:ita:2022:administrativeRequest` (`CODE^Display`). Only the fields present are returned; empty
 * lists give no slot. See: xds-ini digest, 6.3 and 10 items 12, 13 and 24.
 */
export function requestSlots(sets: XdsValueSets, fields: PublicationMetadataFields): Record<string, readonly string[]> {
  const slots: Record<string, readonly string[]> = {};
  if (fields.repositoryType !== undefined && fields.repositoryType !== '') slots[SLOT.repositoryType] = [fields.repositoryType];
  if (fields.descriptions !== undefined) slots[SLOT.description] = fields.descriptions.filter((d) => d !== '');
  if (fields.administrativeRequests !== undefined) {
    slots[SLOT.administrativeRequest] = fields.administrativeRequests.map((code) => {
      const entry = sets.administrativeRequests.find((a) => a.code === code);
      if (!entry) throw metadataError(`Error: Invalid value for administrativeRequest: ${code}`);
      return `${entry.code}^${entry.display}`;
    });
  }
  return slots;
}

/** Drops slots without values: the Gateway never sends an empty slot. See: xds-ini digest, 10 item 24. */
export function withoutEmptySlots(slots: Record<string, readonly string[]>): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(slots).filter(([, values]) => values.length > 0));
}
