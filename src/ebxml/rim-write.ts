import { randomUUID } from 'node:crypto';
import type { XmlBuilder as XMLBuilder } from '../xml/xml-writer.js';
import type { Author, AvailabilityStatus, Code, ExtraSlots } from '../domain/xds.js';
import { OBJECT_TYPE, STATUS, XDS_SLOT } from '../metadata/vocabulary.js';
import { EBXML_NS } from './rim-read.js';

/**
 * Writing helpers shared by the ebRIM 3.0 codecs, built with the project's XML writer (never template strings, STYLE rule 15).
 * Children are written in the order of ebRIM's RegistryObjectType: Slot*, Name?, Description?, VersionInfo?,
 * Classification*, ExternalIdentifier*. See: IHE ITI TF-3 4.2.3; xds-ini digest 3.1.
 */
export type { XMLBuilder };

/** A fresh `urn:uuid:` for the nested Classification/ExternalIdentifier objects the model does not keep. */
export const freshId = (): string => `urn:uuid:${randomUUID()}`;

/** A `rim:` element under `parent`. */
export function rim(parent: XMLBuilder, name: string, attrs: Record<string, string | undefined> = {}): XMLBuilder {
  // The writer leaves out undefined attributes itself.
  return parent.ele(EBXML_NS.rim, `rim:${name}`, attrs);
}

export function writeSlot(parent: XMLBuilder, name: string, values: readonly string[] | string | undefined): void {
  if (values === undefined) return;
  const list = typeof values === 'string' ? [values] : values;
  if (list.length === 0) return;
  const valueList = rim(rim(parent, 'Slot', { name }), 'ValueList');
  for (const value of list) rim(valueList, 'Value').txt(value);
}

export function writeSlots(parent: XMLBuilder, slots: ExtraSlots): void {
  for (const [name, values] of Object.entries(slots)) writeSlot(parent, name, values);
}

export function writeLocalized(parent: XMLBuilder, child: 'Name' | 'Description', value: string | undefined): void {
  if (value !== undefined) rim(rim(parent, child), 'LocalizedString', { value });
}

export function writeVersion(parent: XMLBuilder, version: number): void {
  rim(parent, 'VersionInfo', { versionName: String(version) });
}

export const statusUrn = (status: AvailabilityStatus): string =>
  status === 'Approved' ? STATUS.approved : STATUS.deprecated;

/** A coded Classification. See: xds-ini digest 3.3 (last paragraph). */
export function writeCode(parent: XMLBuilder, scheme: string, classifiedObject: string, code: Code): void {
  const cl = rim(parent, 'Classification', {
    id: freshId(), objectType: OBJECT_TYPE.classification, classificationScheme: scheme, classifiedObject,
    nodeRepresentation: code.code,
  });
  writeSlot(cl, XDS_SLOT.codingScheme, code.scheme);
  writeLocalized(cl, 'Name', code.display);
}

/** An author Classification (`nodeRepresentation=""`). See: IHE ITI TF-3 4.2.3.1.4. */
export function writeAuthor(parent: XMLBuilder, scheme: string, classifiedObject: string, author: Author): void {
  const cl = rim(parent, 'Classification', {
    id: freshId(), objectType: OBJECT_TYPE.classification, classificationScheme: scheme, classifiedObject,
    nodeRepresentation: '',
  });
  writeSlot(cl, XDS_SLOT.authorPerson, author.person);
  writeSlot(cl, XDS_SLOT.authorInstitution, author.institutions);
  writeSlot(cl, XDS_SLOT.authorRole, author.roles);
  writeSlot(cl, XDS_SLOT.authorSpecialty, author.specialties);
  writeSlot(cl, XDS_SLOT.authorTelecommunication, author.telecom);
}

/** A marker Classification to a classification node (SubmissionSet, Folder). See: xds-ini digest 3.2, 3.4. */
export function writeMarker(parent: XMLBuilder, node: string, classifiedObject: string): void {
  rim(parent, 'Classification', {
    id: freshId(), objectType: OBJECT_TYPE.classification, classificationNode: node, classifiedObject,
  });
}

/** An ExternalIdentifier with its `Name` (e.g. `XDSDocumentEntry.uniqueId`). See: xds-ini digest 3.1, 3.2. */
export function writeExternalId(parent: XMLBuilder, scheme: string, registryObject: string, name: string, value: string): void {
  const ei = rim(parent, 'ExternalIdentifier', {
    id: freshId(), objectType: OBJECT_TYPE.externalIdentifier, identificationScheme: scheme, registryObject, value,
  });
  writeLocalized(ei, 'Name', name);
}
