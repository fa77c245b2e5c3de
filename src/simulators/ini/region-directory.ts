import { OIDS } from '../../metadata/vocabulary.js';

/**
 * What INI knows of the regions: each region's registry and repository endpoints (where the "comunicazione metadati",
 * queries and retrieves go), and each patient's assisting region (RDA; in reality INI reads it from the national
 * registry of the assisted, here it is configured). Mutable, so tests can move a patient or restart a bridge on a
 * new port. See: xds-ini digest 1.1 (RDA, RDE), 1.2, 1.4 E-F, 4.3.
 */

/** One region as INI reaches it. */
export interface IniRegion {
  /** Organization code, 3 digits (`120`, `010`). See: xds-ini digest 6.12, pitfall 17. */
  readonly code: string;
  /** Its Document Registry endpoint (ITI-42, ITI-57, INI delete, ITI-18). */
  readonly registryUrl: string;
  /** Its Document Repository endpoint (ITI-43). */
  readonly repositoryUrl: string;
}

export interface RegionDirectory {
  region(code: string): IniRegion | undefined;
  regions(): IniRegion[];
  setRegion(region: IniRegion): void;
  removeRegion(code: string): void;
  /** The patient's assisting region code, or the default region, or undefined. */
  rdaOf(patientId: string): string | undefined;
  setPatientRegion(patientId: string, code: string): void;
  removePatient(patientId: string): void;
  patients(): ReadonlyMap<string, string>;
}

/** `10` -> `010`: organization codes are 3 digits in SAML and in the tables. See: xds-ini digest pitfall 17. */
export const padRegion = (code: string): string => String(Number(code)).padStart(3, '0');

const REGION_OID = /^2\.16\.840\.1\.113883\.2\.9\.2\.(\d+)\.4\.[345](?:\.|\^|$)/;

/**
 * The region an OID names: `2.16.840.1.113883.2.9.2.<REG>.4.5.<n>` (repositoryUniqueId), `.4.4^<id>` (document
 * uniqueId) or `.4.3.<n>` (SubmissionSet uniqueId), `<REG>` left-padded to 3 digits. See: xds-ini digest 1.1, 6.2.
 */
export function regionOfOid(value: string): string | undefined {
  if (!value.startsWith(`${OIDS.regionRoot}.`)) return undefined;
  const reg = REGION_OID.exec(value)?.[1];
  return reg === undefined ? undefined : padRegion(reg);
}

export function createRegionDirectory(regions: readonly IniRegion[], patients: Readonly<Record<string, string>>, defaultRegion?: string): RegionDirectory {
  const byCode = new Map(regions.map((r) => [padRegion(r.code), { ...r, code: padRegion(r.code) }]));
  const rda = new Map(Object.entries(patients).map(([cx, code]) => [cx, padRegion(code)]));
  return {
    region: (code) => byCode.get(padRegion(code)),
    regions: () => [...byCode.values()],
    setRegion: (r) => void byCode.set(padRegion(r.code), { ...r, code: padRegion(r.code) }),
    removeRegion: (code) => void byCode.delete(padRegion(code)),
    rdaOf: (patientId) => rda.get(patientId) ?? (defaultRegion === undefined ? undefined : padRegion(defaultRegion)),
    setPatientRegion: (patientId, code) => void rda.set(patientId, padRegion(code)),
    removePatient: (patientId) => void rda.delete(patientId),
    patients: () => rda,
  };
}
