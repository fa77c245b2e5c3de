import type { XmlElement } from 'libxml2-wasm';
import { parsePatientId, parseRepositoryUniqueId, parseUniqueId } from '../domain/ids.js';
import type { DocumentEntry } from '../domain/xds.js';
import { DOCUMENT_AVAILABILITY, DOCUMENT_ENTRY, IDENTIFIER_NAME, SLOT, XDS_SLOT } from '../metadata/vocabulary.js';
import { EbxmlError, parseOrFail } from './ebxml-error.js';
import {
  attr, classifications, compact, decodeAuthor, decodeCode, decodeStatus, decodeVersion, externalId, extraSlots, first,
  localized, readSlots, requiredAttr, requiredCode, type DecodeContext,
} from './rim-read.js';
import {
  rim, statusUrn, writeAuthor, writeCode, writeExternalId, writeLocalized, writeSlot, writeSlots, writeVersion,
  type XMLBuilder,
} from './rim-write.js';

/**
 * The DocumentEntry codec: `rim:ExtrinsicObject` <-> {@link DocumentEntry}. Hand-written: no npm library encodes IHE
 * XDS ebRIM. See: IHE ITI TF-3 4.2.3.2 (DocumentEntry attributes); xds-ini digest 3.2, 3.3.
 */

/** Slots the model names; any other slot goes to `extraSlots` (Italian `urn:ita:*` slots among them). */
const KNOWN_SLOTS: readonly string[] = [
  XDS_SLOT.creationTime, XDS_SLOT.hash, XDS_SLOT.size, XDS_SLOT.languageCode, XDS_SLOT.repositoryUniqueId,
  XDS_SLOT.sourcePatientId, XDS_SLOT.sourcePatientInfo, XDS_SLOT.legalAuthenticator, XDS_SLOT.serviceStartTime,
  XDS_SLOT.serviceStopTime, XDS_SLOT.documentAvailability, SLOT.referenceIdList,
];

function decodeObjectType(el: XmlElement): DocumentEntry['objectType'] {
  const objectType = requiredAttr(el, 'objectType');
  if (objectType === DOCUMENT_ENTRY.objectTypeStable) return 'stable';
  if (objectType === DOCUMENT_ENTRY.objectTypeOnDemand) return 'on-demand';
  throw new EbxmlError('XDSRegistryMetadataError', `ExtrinsicObject: unknown objectType ${objectType}`);
}

function decodeAvailability(value: string | undefined): DocumentEntry['documentAvailability'] {
  if (value === undefined) return undefined;
  if (value === DOCUMENT_AVAILABILITY.Online) return 'Online';
  if (value === DOCUMENT_AVAILABILITY.Offline) return 'Offline';
  throw new EbxmlError('XDSRegistryMetadataError', `unknown documentAvailability ${value}`);
}

function decodeSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(size) || size < 0) throw new EbxmlError('XDSRegistryMetadataError', `size is not a decimal byte count: ${value}`);
  return size;
}

/**
 * Decodes one `rim:ExtrinsicObject`. `lid` defaults to the entryUUID (first version); the status defaults to Approved
 * because submitters need not send it. See: xds-ini digest 3.3, 3.8.
 */
export function decodeDocumentEntry(el: XmlElement, ctx: DecodeContext): DocumentEntry {
  const entryUuid = ctx.resolve(requiredAttr(el, 'id'), 'ExtrinsicObject/@id');
  const lid = attr(el, 'lid');
  const slots = readSlots(el);
  const repositoryUniqueId = first(slots, XDS_SLOT.repositoryUniqueId);
  return compact<DocumentEntry>({
    entryUuid,
    logicalId: lid === undefined ? entryUuid : ctx.resolve(lid, 'ExtrinsicObject/@lid'),
    version: decodeVersion(el),
    uniqueId: parseOrFail(parseUniqueId, externalId(el, DOCUMENT_ENTRY.uniqueId, IDENTIFIER_NAME.documentEntryUniqueId), 'XDSDocumentEntry.uniqueId'),
    patientId: parseOrFail(parsePatientId, externalId(el, DOCUMENT_ENTRY.patientId, IDENTIFIER_NAME.documentEntryPatientId), 'XDSDocumentEntry.patientId'),
    sourcePatientId: first(slots, XDS_SLOT.sourcePatientId),
    sourcePatientInfo: slots.get(XDS_SLOT.sourcePatientInfo) ?? [],
    status: decodeStatus(el),
    objectType: decodeObjectType(el),
    mimeType: requiredAttr(el, 'mimeType'),
    hash: first(slots, XDS_SLOT.hash),
    size: decodeSize(first(slots, XDS_SLOT.size)),
    repositoryUniqueId: repositoryUniqueId === undefined ? undefined : parseOrFail(parseRepositoryUniqueId, repositoryUniqueId, 'repositoryUniqueId'),
    homeCommunityId: attr(el, 'home'),
    creationTime: first(slots, XDS_SLOT.creationTime),
    serviceStartTime: first(slots, XDS_SLOT.serviceStartTime),
    serviceStopTime: first(slots, XDS_SLOT.serviceStopTime),
    languageCode: first(slots, XDS_SLOT.languageCode),
    title: localized(el, 'Name'),
    comments: localized(el, 'Description'),
    legalAuthenticator: first(slots, XDS_SLOT.legalAuthenticator),
    classCode: requiredCode(el, DOCUMENT_ENTRY.classCode, 'classCode'),
    typeCode: requiredCode(el, DOCUMENT_ENTRY.typeCode, 'typeCode'),
    formatCode: requiredCode(el, DOCUMENT_ENTRY.formatCode, 'formatCode'),
    healthcareFacilityTypeCode: requiredCode(el, DOCUMENT_ENTRY.healthcareFacilityTypeCode, 'healthcareFacilityTypeCode'),
    practiceSettingCode: requiredCode(el, DOCUMENT_ENTRY.practiceSettingCode, 'practiceSettingCode'),
    confidentialityCodes: classifications(el, DOCUMENT_ENTRY.confidentialityCode).map(decodeCode),
    eventCodes: classifications(el, DOCUMENT_ENTRY.eventCodeList).map(decodeCode),
    authors: classifications(el, DOCUMENT_ENTRY.author).map(decodeAuthor),
    referenceIds: slots.get(SLOT.referenceIdList) ?? [],
    documentAvailability: decodeAvailability(first(slots, XDS_SLOT.documentAvailability)),
    extraSlots: extraSlots(slots, KNOWN_SLOTS),
  });
}

/** Encodes a DocumentEntry as a `rim:ExtrinsicObject` appended to `parent`. See: IHE ITI TF-3 4.2.3.2. */
export function encodeDocumentEntry(entry: DocumentEntry, parent: XMLBuilder): XMLBuilder {
  const id = entry.entryUuid;
  const eo = rim(parent, 'ExtrinsicObject', {
    id, lid: entry.logicalId, home: entry.homeCommunityId, status: statusUrn(entry.status), mimeType: entry.mimeType,
    objectType: entry.objectType === 'stable' ? DOCUMENT_ENTRY.objectTypeStable : DOCUMENT_ENTRY.objectTypeOnDemand,
  });
  writeSlot(eo, XDS_SLOT.creationTime, entry.creationTime);
  writeSlot(eo, XDS_SLOT.hash, entry.hash);
  writeSlot(eo, XDS_SLOT.size, entry.size === undefined ? undefined : String(entry.size));
  writeSlot(eo, XDS_SLOT.languageCode, entry.languageCode);
  writeSlot(eo, XDS_SLOT.repositoryUniqueId, entry.repositoryUniqueId);
  writeSlot(eo, XDS_SLOT.sourcePatientId, entry.sourcePatientId);
  writeSlot(eo, XDS_SLOT.sourcePatientInfo, entry.sourcePatientInfo);
  writeSlot(eo, XDS_SLOT.legalAuthenticator, entry.legalAuthenticator);
  writeSlot(eo, XDS_SLOT.serviceStartTime, entry.serviceStartTime);
  writeSlot(eo, XDS_SLOT.serviceStopTime, entry.serviceStopTime);
  writeSlot(eo, SLOT.referenceIdList, entry.referenceIds);
  writeSlot(eo, XDS_SLOT.documentAvailability, entry.documentAvailability && DOCUMENT_AVAILABILITY[entry.documentAvailability]);
  writeSlots(eo, entry.extraSlots);
  writeLocalized(eo, 'Name', entry.title);
  writeLocalized(eo, 'Description', entry.comments);
  writeVersion(eo, entry.version);
  for (const author of entry.authors) writeAuthor(eo, DOCUMENT_ENTRY.author, id, author);
  writeCode(eo, DOCUMENT_ENTRY.classCode, id, entry.classCode);
  for (const code of entry.confidentialityCodes) writeCode(eo, DOCUMENT_ENTRY.confidentialityCode, id, code);
  for (const code of entry.eventCodes) writeCode(eo, DOCUMENT_ENTRY.eventCodeList, id, code);
  writeCode(eo, DOCUMENT_ENTRY.formatCode, id, entry.formatCode);
  writeCode(eo, DOCUMENT_ENTRY.healthcareFacilityTypeCode, id, entry.healthcareFacilityTypeCode);
  writeCode(eo, DOCUMENT_ENTRY.practiceSettingCode, id, entry.practiceSettingCode);
  writeCode(eo, DOCUMENT_ENTRY.typeCode, id, entry.typeCode);
  writeExternalId(eo, DOCUMENT_ENTRY.patientId, id, IDENTIFIER_NAME.documentEntryPatientId, entry.patientId);
  writeExternalId(eo, DOCUMENT_ENTRY.uniqueId, id, IDENTIFIER_NAME.documentEntryUniqueId, entry.uniqueId);
  return eo;
}
