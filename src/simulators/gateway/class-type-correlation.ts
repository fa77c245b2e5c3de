import { FseError } from '../../errors/fse-error.js';
import { findCode, xdsValueSets, type XdsValueSets } from '../../mappings/xds-value-sets.js';

/**
 * The classCode <-> typeCode correlation the [REL] dispatcher enforces on create, replace, validate-and-* and
 * metadata update. See: Gateway API digest, 3.3 step 9 and 10.12; xds-ini digest, 6.5.
 */

/** The instance the dispatcher gives the correlation error. See: Gateway API digest, 11.1 (`/msg/validator`). */
const INSTANCE = '/msg/validator';

/**
 * The LOINC code of the JWT `resource_hl7_type` claim, `('CODE^^2.16.840.1.113883.6.1')`; the first one when the
 * claim lists several. `undefined` when the claim has no code. See: Gateway API digest, 5.3; xds-ini digest, 6.5.
 */
export function loincFromResourceHl7Type(claim: string | undefined): string | undefined {
  if (claim === undefined) return undefined;
  const first = claim.replace(/^\(/, '').replace(/\)$/, '').split(',')[0]?.trim().replace(/^'|'$/g, '');
  const code = first?.split('^')[0];
  return code === undefined || code === '' ? undefined : code;
}

/**
 * Checks that the classCode is the one the LOINC typeCode allows. An unknown LOINC (or classCode) counts as null,
 * as the dispatcher's enum lookups return null. Throws `FseError('validator')` with the Gateway's detail.
 */
export function checkCorrelation(loinc: string | undefined, classCode: string | undefined, sets: XdsValueSets = xdsValueSets()): void {
  const type = findCode(sets.typeCodes, loinc);
  const cls = findCode(sets.classCodes, classCode);
  if (type === undefined || cls === undefined) {
    throw new FseError('validator', 'Uno tra tipo documento o tipo documento livello alto risulta essere null', { instance: INSTANCE });
  }
  if (type.classCode !== cls.code) {
    throw new FseError('validator', "Non c'è correlazione tra tipo documento e tipo documento livello alto", { instance: INSTANCE });
  }
}
