import type { XmlElement } from 'libxml2-wasm';
import type { Association, AssociationType } from '../domain/xds.js';
import { ASSOCIATION_TYPE, OBJECT_TYPE } from '../metadata/vocabulary.js';
import { EbxmlError } from './ebxml-error.js';
import { decodeStatus, readSlots, requiredAttr, type DecodeContext } from './rim-read.js';
import { rim, statusUrn, writeSlots, type XMLBuilder } from './rim-write.js';

/**
 * The Association codec: `rim:Association` <-> {@link Association}, the type kept as the domain's short name and
 * written as the full URN. Hand-written: no npm library encodes IHE XDS ebRIM.
 * See: IHE ITI TF-3 4.2.2 (association types); xds-ini digest 3.5.
 */

const TYPE_BY_URN: ReadonlyMap<string, AssociationType> = new Map(
  (Object.entries(ASSOCIATION_TYPE) as [AssociationType, string][]).map(([short, urn]) => [urn, short]),
);

/** Decodes one `rim:Association`; every slot (SubmissionSetStatus, PreviousVersion, ...) goes to `slots`. */
export function decodeAssociation(el: XmlElement, ctx: DecodeContext): Association {
  const urn = requiredAttr(el, 'associationType');
  const type = TYPE_BY_URN.get(urn);
  if (type === undefined) throw new EbxmlError('XDSRegistryMetadataError', `unknown associationType ${urn}`);
  return {
    entryUuid: ctx.resolve(requiredAttr(el, 'id'), 'Association/@id'),
    type,
    sourceUuid: ctx.resolve(requiredAttr(el, 'sourceObject'), 'Association/@sourceObject'),
    targetUuid: ctx.resolve(requiredAttr(el, 'targetObject'), 'Association/@targetObject'),
    status: decodeStatus(el),
    slots: Object.fromEntries(readSlots(el)),
  };
}

/** Encodes an Association as a `rim:Association` appended to `parent`. */
export function encodeAssociation(association: Association, parent: XMLBuilder): XMLBuilder {
  const el = rim(parent, 'Association', {
    id: association.entryUuid, objectType: OBJECT_TYPE.association,
    associationType: ASSOCIATION_TYPE[association.type],
    sourceObject: association.sourceUuid, targetObject: association.targetUuid, status: statusUrn(association.status),
  });
  writeSlots(el, association.slots);
  return el;
}
