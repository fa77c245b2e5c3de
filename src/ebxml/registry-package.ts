import type { XmlElement } from 'libxml2-wasm';
import { parsePatientId, parseUniqueId } from '../domain/ids.js';
import type { Folder, SubmissionSet } from '../domain/xds.js';
import { FOLDER, IDENTIFIER_NAME, OBJECT_TYPE, SUBMISSION_SET, XDS_SLOT } from '../metadata/vocabulary.js';
import { EbxmlError, parseOrFail } from './ebxml-error.js';
import {
  attr, classifications, compact, decodeAuthor, decodeCode, decodeStatus, decodeVersion, elements, externalId,
  extraSlots, first, localized, readSlots, requiredAttr, requiredCode, type DecodeContext,
} from './rim-read.js';
import {
  rim, statusUrn, writeAuthor, writeCode, writeExternalId, writeLocalized, writeMarker, writeSlot, writeSlots,
  writeVersion, type XMLBuilder,
} from './rim-write.js';

/**
 * The SubmissionSet and Folder codecs: both are `rim:RegistryPackage`, told apart by a Classification to a
 * classification node (the marker). Hand-written: no npm library encodes IHE XDS ebRIM.
 * See: IHE ITI TF-3 4.2.3.3 (SubmissionSet), 4.2.3.4 (Folder); xds-ini digest 3.2, 3.4.
 */
export type PackageKind = 'SubmissionSet' | 'Folder';

/**
 * Which kind a RegistryPackage is. The marker may be nested or, as the Gateway sends it (`Classification1`), a
 * top-level Classification in the RegistryObjectList: pass those as `topLevelMarkers` (classifiedObject -> node).
 * See: xds-ini digest 3.4 (marker row).
 */
export function packageKind(el: XmlElement, topLevelMarkers: ReadonlyMap<string, string> = new Map()): PackageKind {
  const nodes = elements(el, 'rim:Classification').map((c) => attr(c, 'classificationNode'));
  const id = attr(el, 'id');
  if (id !== undefined) nodes.push(topLevelMarkers.get(id));
  if (nodes.includes(SUBMISSION_SET.classificationNode)) return 'SubmissionSet';
  if (nodes.includes(FOLDER.classificationNode)) return 'Folder';
  throw new EbxmlError('XDSRegistryMetadataError', `RegistryPackage${id === undefined ? '' : ` ${id}`}: no SubmissionSet or Folder classification node`);
}

const SS_SLOTS: readonly string[] = [XDS_SLOT.submissionTime, XDS_SLOT.intendedRecipient];
const FOLDER_SLOTS: readonly string[] = [XDS_SLOT.lastUpdateTime];

/** Decodes a SubmissionSet `rim:RegistryPackage`. See: xds-ini digest 3.4. */
export function decodeSubmissionSet(el: XmlElement, ctx: DecodeContext): SubmissionSet {
  const slots = readSlots(el);
  const submissionTime = first(slots, XDS_SLOT.submissionTime);
  if (submissionTime === undefined) throw new EbxmlError('XDSRegistryMetadataError', 'XDSSubmissionSet.submissionTime: missing slot');
  return compact<SubmissionSet>({
    entryUuid: ctx.resolve(requiredAttr(el, 'id'), 'RegistryPackage/@id'),
    uniqueId: parseOrFail(parseUniqueId, externalId(el, SUBMISSION_SET.uniqueId, IDENTIFIER_NAME.submissionSetUniqueId), 'XDSSubmissionSet.uniqueId'),
    sourceId: externalId(el, SUBMISSION_SET.sourceId, IDENTIFIER_NAME.submissionSetSourceId),
    patientId: parseOrFail(parsePatientId, externalId(el, SUBMISSION_SET.patientId, IDENTIFIER_NAME.submissionSetPatientId), 'XDSSubmissionSet.patientId'),
    submissionTime,
    contentTypeCode: requiredCode(el, SUBMISSION_SET.contentTypeCode, 'contentTypeCode'),
    authors: classifications(el, SUBMISSION_SET.author).map(decodeAuthor),
    title: localized(el, 'Name'),
    comments: localized(el, 'Description'),
    intendedRecipients: slots.get(XDS_SLOT.intendedRecipient) ?? [],
    status: decodeStatus(el),
    extraSlots: extraSlots(slots, SS_SLOTS),
  });
}

/** Encodes a SubmissionSet as a `rim:RegistryPackage` with a nested marker Classification. See: xds-ini digest 3.4. */
export function encodeSubmissionSet(ss: SubmissionSet, parent: XMLBuilder): XMLBuilder {
  const id = ss.entryUuid;
  const pkg = rim(parent, 'RegistryPackage', { id, objectType: OBJECT_TYPE.registryPackage, status: statusUrn(ss.status) });
  writeSlot(pkg, XDS_SLOT.submissionTime, ss.submissionTime);
  writeSlot(pkg, XDS_SLOT.intendedRecipient, ss.intendedRecipients);
  writeSlots(pkg, ss.extraSlots);
  writeLocalized(pkg, 'Name', ss.title);
  writeLocalized(pkg, 'Description', ss.comments);
  writeMarker(pkg, SUBMISSION_SET.classificationNode, id);
  for (const author of ss.authors) writeAuthor(pkg, SUBMISSION_SET.author, id, author);
  writeCode(pkg, SUBMISSION_SET.contentTypeCode, id, ss.contentTypeCode);
  writeExternalId(pkg, SUBMISSION_SET.uniqueId, id, IDENTIFIER_NAME.submissionSetUniqueId, ss.uniqueId);
  writeExternalId(pkg, SUBMISSION_SET.sourceId, id, IDENTIFIER_NAME.submissionSetSourceId, ss.sourceId);
  writeExternalId(pkg, SUBMISSION_SET.patientId, id, IDENTIFIER_NAME.submissionSetPatientId, ss.patientId);
  return pkg;
}

/** Decodes a Folder `rim:RegistryPackage`. See: IHE ITI TF-3 4.2.3.4; xds-ini digest 3.2. */
export function decodeFolder(el: XmlElement, ctx: DecodeContext): Folder {
  const entryUuid = ctx.resolve(requiredAttr(el, 'id'), 'RegistryPackage/@id');
  const lid = attr(el, 'lid');
  const slots = readSlots(el);
  return compact<Folder>({
    entryUuid,
    logicalId: lid === undefined ? entryUuid : ctx.resolve(lid, 'RegistryPackage/@lid'),
    version: decodeVersion(el),
    uniqueId: parseOrFail(parseUniqueId, externalId(el, FOLDER.uniqueId, IDENTIFIER_NAME.folderUniqueId), 'XDSFolder.uniqueId'),
    patientId: parseOrFail(parsePatientId, externalId(el, FOLDER.patientId, IDENTIFIER_NAME.folderPatientId), 'XDSFolder.patientId'),
    lastUpdateTime: first(slots, XDS_SLOT.lastUpdateTime),
    codes: classifications(el, FOLDER.codeList).map(decodeCode),
    title: localized(el, 'Name'),
    comments: localized(el, 'Description'),
    status: decodeStatus(el),
    extraSlots: extraSlots(slots, FOLDER_SLOTS),
  });
}

/** Encodes a Folder as a `rim:RegistryPackage` with a nested marker Classification. See: IHE ITI TF-3 4.2.3.4. */
export function encodeFolder(folder: Folder, parent: XMLBuilder): XMLBuilder {
  const id = folder.entryUuid;
  const pkg = rim(parent, 'RegistryPackage', {
    id, lid: folder.logicalId, objectType: OBJECT_TYPE.registryPackage, status: statusUrn(folder.status),
  });
  writeSlot(pkg, XDS_SLOT.lastUpdateTime, folder.lastUpdateTime);
  writeSlots(pkg, folder.extraSlots);
  writeLocalized(pkg, 'Name', folder.title);
  writeLocalized(pkg, 'Description', folder.comments);
  writeVersion(pkg, folder.version);
  writeMarker(pkg, FOLDER.classificationNode, id);
  for (const code of folder.codes) writeCode(pkg, FOLDER.codeList, id, code);
  writeExternalId(pkg, FOLDER.uniqueId, id, IDENTIFIER_NAME.folderUniqueId, folder.uniqueId);
  writeExternalId(pkg, FOLDER.patientId, id, IDENTIFIER_NAME.folderPatientId, folder.patientId);
  return pkg;
}
