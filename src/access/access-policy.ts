import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadDocumentTypes } from '../catalog/document-types.js';
import { projectRoot, valueSets } from '../mappings/value-sets.js';
import { xdsValueSets } from '../mappings/xds-value-sets.js';

/**
 * The region's access policy as data (`mappings/access-policy.json`, or the file `FSE_ACCESS_POLICY` names): read
 * and checked once at start, so a typo in a role, a category or a type code stops the boot instead of opening or
 * closing a record silently. The meaning of each field is in the file's `$comment` and in docs/privacy.md.
 * See: privacy digest 2-5; xds-ini digest 6.9, 6.10, 6.13, 6.14.
 */
const codes = z.array(z.string().min(1));
const Party = z.enum(['patient', 'author', 'delegate', 'parent', 'guardian']);
const AsRole = z.strictObject({ role: z.string().min(1), purpose: z.string().min(1) }).nullable();

const Schema = z.strictObject({
  $comment: z.string().min(1),
  /** Everybody reads everything (test beds only). */
  open: z.boolean().default(false),
  professionalPurposes: codes,
  authorOnlyPurposes: codes,
  citizenPurposes: codes,
  consentRequiredFor: codes,
  emergencyPurposes: codes,
  assistedWithoutConsentRecord: z.enum(['missing', 'assertion']),
  categories: z.record(z.string().min(1), codes),
  cones: z.record(z.string().regex(/^\d+-\d$/, 'a LOINC code'), codes),
  defaultCone: codes,
  citizenRoles: z.strictObject({ self: codes, delegate: codes, parent: codes, guardian: codes }),
  majorityAge: z.number().int().min(1).max(30),
  systemRoles: z.strictObject({ roles: codes, purposes: codes }),
  /** Who records consents and relations for citizens (OGC with purpose CONSENT). */
  rightsOperators: z.strictObject({ roles: codes, purposes: codes }),
  obscuring: z.record(z.string().min(1), z.strictObject({ visibleTo: z.array(Party).optional(), hiddenFrom: z.array(Party).optional() })),
  restricted: z.record(z.string().min(1), z.strictObject({ roles: codes })),
  unidentified: z.strictObject({ anonymous: AsRole, certificate: AsRole }),
  /** Roles of the region's operators who obscure or un-obscure a document on a citizen's behalf. */
  visibilityOperators: codes.default([]),
});

export type AccessPolicy = z.infer<typeof Schema>;

export const DEFAULT_ACCESS_POLICY_FILE = path.join(projectRoot, 'mappings', 'access-policy.json');

let typeCodes: Set<string> | undefined;

/** The document type codes (LOINC) the project knows: the XDS typeCode value set and the catalog's document types. */
export function knownTypeCodes(): ReadonlySet<string> {
  typeCodes ??= new Set([...xdsValueSets().typeCodes.codes.map((t) => t.code), ...loadDocumentTypes().flatMap((t) => t.loinc)]);
  return typeCodes;
}

/** What the file names that the project does not know: roles, purposes, categories, type codes. */
function unknownNames(policy: AccessPolicy): string[] {
  const roles = new Set(valueSets().subjectRoles.map((r) => r.code));
  const purposes = new Set(valueSets().purposesOfUse.map((p) => p.code));
  const types = knownTypeCodes() as Set<string>;
  const categories = new Set(Object.keys(policy.categories));
  const problems: string[] = [];
  const check = (where: string, values: readonly string[], known: Set<string>) => {
    for (const v of values) if (!known.has(v)) problems.push(`${where}: unknown ${v}`);
  };
  check('professionalPurposes', policy.professionalPurposes, purposes);
  check('authorOnlyPurposes', policy.authorOnlyPurposes, purposes);
  check('citizenPurposes', policy.citizenPurposes, purposes);
  check('consentRequiredFor', policy.consentRequiredFor, purposes);
  check('emergencyPurposes', policy.emergencyPurposes, purposes);
  check('systemRoles.purposes', policy.systemRoles.purposes, purposes);
  check('systemRoles.roles', policy.systemRoles.roles, roles);
  check('rightsOperators.roles', policy.rightsOperators.roles, roles);
  check('rightsOperators.purposes', policy.rightsOperators.purposes, purposes);
  for (const [name, list] of Object.entries(policy.categories)) check(`categories.${name}`, list, roles);
  for (const [name, list] of Object.entries(policy.citizenRoles)) check(`citizenRoles.${name}`, list, roles);
  check('visibilityOperators', policy.visibilityOperators, roles);
  for (const [code, rule] of Object.entries(policy.restricted)) check(`restricted.${code}.roles`, rule.roles, roles);
  check('cones (type codes)', Object.keys(policy.cones), types);
  for (const [code, list] of Object.entries(policy.cones)) check(`cones.${code}`, list, categories);
  check('defaultCone', policy.defaultCone, categories);
  for (const [name, who] of Object.entries(policy.unidentified)) {
    if (who && !roles.has(who.role)) problems.push(`unidentified.${name}.role: unknown ${who.role}`);
    if (who && !purposes.has(who.purpose)) problems.push(`unidentified.${name}.purpose: unknown ${who.purpose}`);
  }
  const seen = new Map<string, string>();
  for (const [name, list] of Object.entries(policy.categories)) {
    for (const role of list) {
      if (seen.has(role)) problems.push(`categories: ${role} is in both ${seen.get(role)} and ${name}`);
      seen.set(role, name);
    }
  }
  return problems;
}

/** Reads and checks a policy file; throws one message naming the file and every problem. */
export function loadAccessPolicy(file: string = DEFAULT_ACCESS_POLICY_FILE): AccessPolicy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`access policy ${file}: ${(err as Error).message}`);
  }
  const parsed = Schema.safeParse(json);
  if (!parsed.success) throw new Error(`access policy ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  const problems = unknownNames(parsed.data);
  if (problems.length > 0) throw new Error(`access policy ${file} is invalid: ${problems.join('; ')}`);
  return Object.freeze(parsed.data);
}

let cached: AccessPolicy | undefined;

/** The project's default policy, loaded on first use (tests and tools that compose no app). */
export function defaultAccessPolicy(): AccessPolicy {
  cached ??= loadAccessPolicy();
  return cached;
}
