/**
 * Branded ids that XDS makes easy to confuse (STYLE rule 7). Each is created only by its `parse*` function at a
 * codec or REST boundary; inside the bridge the type says which id a string is.
 */
export type EntryUuid = string & { readonly __brand: 'EntryUuid' };
export type UniqueId = string & { readonly __brand: 'UniqueId' };
/** HL7 v2 CX, e.g. `RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO`. */
export type PatientId = string & { readonly __brand: 'PatientId' };
export type RepositoryUniqueId = string & { readonly __brand: 'RepositoryUniqueId' };

/**
 * The MEF's OID, assigning authority of codici fiscali in patients' and operators' CX ids (`CF^^^&OID&ISO`).
 * See: xds-ini digest 3.7, 6.2; Gateway API digest 5.3 (`sub`).
 */
export const FISCAL_CODE_OID = '2.16.840.1.113883.2.9.4.3.2';

export class IdFormatError extends Error {
  override name = 'IdFormatError';
}

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
/** CX with CX.1 and CX.4 only, as XDS allows. See: IHE ITI TF-3 4.2.3.1.7 (patientId). */
const CX = /^[^^&]+\^\^\^&[0-2](\.(0|[1-9]\d*))+&ISO$/;

export function parseEntryUuid(value: string): EntryUuid {
  if (!UUID_URN.test(value)) throw new IdFormatError(`not a urn:uuid entryUUID: ${value}`);
  return value.toLowerCase() as EntryUuid;
}

/** A document or submission uniqueId: an OID, or OID^extension (Italian form), at most 128 characters. */
export function parseUniqueId(value: string): UniqueId {
  const [root, ...rest] = value.split('^');
  if (value.length === 0 || value.length > 128 || !root || (!OID.test(root) && rest.length === 0)) {
    throw new IdFormatError(`not a uniqueId: ${value}`);
  }
  return value as UniqueId;
}

export function parsePatientId(value: string): PatientId {
  if (!CX.test(value)) throw new IdFormatError(`not a CX patient id (id^^^&OID&ISO): ${value}`);
  return value as PatientId;
}

export function parseRepositoryUniqueId(value: string): RepositoryUniqueId {
  if (!OID.test(value)) throw new IdFormatError(`not an OID: ${value}`);
  return value as RepositoryUniqueId;
}

/**
 * The fiscal code a CX (or XCN) names: its first component when the assigning authority is the MEF's, or a bare code; otherwise none,
 * since an id of another authority cannot be compared with a fiscal code. See: xds-ini digest 6.2; Gateway API
 * digest 5.3.
 */
export function fiscalCodeOf(cx: string | undefined): string | undefined {
  if (cx === undefined) return undefined;
  if (!cx.includes('^')) return /^[A-Za-z0-9]{11,16}$/.test(cx) ? cx.toUpperCase() : undefined;
  // CX.1 or XCN.1 is the id; the assigning authority's OID is the `&OID&ISO` of CX.4 or XCN.9.
  const code = cx.slice(0, cx.indexOf('^'));
  const authority = /&([0-9.]+)&ISO/.exec(cx)?.[1];
  return authority === FISCAL_CODE_OID && code !== '' ? code.toUpperCase() : undefined;
}

/**
 * How the region keys a person in its consent and relation records: the fiscal code when the id is the MEF's, else
 * the CX as given (a test bed's affinity domain), so two ids of different authorities never meet.
 */
export function personKey(cx: string): string {
  return fiscalCodeOf(cx) ?? cx;
}
