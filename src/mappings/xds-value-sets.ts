import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './value-sets.js';

/**
 * The Italian Affinity Domain value sets used to build XDS metadata from a Gateway request (classCode, typeCode and
 * its classCode correlation, formatCode, facility type, practice setting, content type, event codes,
 * confidentiality, administrative requests, description OIDs), read from `mappings/xds-*.json` and checked once.
 * Tables are data (house style, rule 4); each file's `$comment` cites the digest section it comes from.
 * See: Gateway API digest, section 10; xds-ini digest, section 6.
 */

/** One code of a coded value set; `display` becomes the classification Name. */
export interface XdsCode {
  readonly code: string;
  readonly display?: string;
}

/** A code whose request value differs from the XDS code (e.g. `MdsPN_DGC` -> `MdsPN-DGC`). */
export interface XdsEnumCode extends XdsCode {
  /** The value as the request body spells it. */
  readonly value: string;
}

/** A LOINC typeCode and the one classCode it allows. See: Gateway API digest, 10.12. */
export interface XdsTypeCode extends XdsCode {
  readonly classCode: string;
}

/** A value set: the coding scheme OID and its codes. */
export interface XdsCodeSet<E extends XdsCode = XdsCode> {
  readonly scheme: string;
  readonly codes: readonly E[];
}

/** A coding system allowed in `descriptions`; `{REG}` in `oid` stands for an organization code. */
export interface DescriptionOid {
  readonly oid: string;
  readonly description: string;
}

/** The XDS value sets, frozen. */
export interface XdsValueSets {
  readonly classCodes: XdsCodeSet;
  readonly typeCodes: XdsCodeSet<XdsTypeCode>;
  readonly formatCodes: XdsCodeSet;
  readonly facilityTypes: XdsCodeSet<XdsEnumCode>;
  readonly practiceSettings: XdsCodeSet;
  readonly contentTypes: XdsCodeSet<XdsEnumCode>;
  /** Matched case-insensitively. See: Gateway API digest, 10.4. */
  readonly eventCodes: XdsCodeSet;
  readonly confidentialityCodes: XdsCodeSet;
  readonly administrativeRequests: readonly Required<XdsCode>[];
  readonly descriptionOids: readonly DescriptionOid[];
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
const text = z.string().min(1);
const oid = z.string().regex(OID, 'not an OID');
const code = z.object({ code: text, display: text.optional() }).strict();
const requiredCode = z.object({ code: text, display: text }).strict();
const enumCode = z.object({ value: text, code: text, display: text }).strict();
const typeCode = z.object({ code: z.string().regex(/^\d+-\d$/, 'not a LOINC code'), display: text, classCode: text }).strict();

/** Keys must be unique (after `normalise`), or a lookup would silently pick the first. */
function unique<T>(key: (item: T) => string, what: string) {
  return (list: readonly T[], ctx: z.core.$RefinementCtx<readonly T[]>) => {
    const seen = new Set<string>();
    for (const item of list) {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} ${k}` });
      seen.add(k);
    }
  };
}

function codeSet<E extends z.ZodType<XdsCode>>(entry: E, caseInsensitive = false) {
  return z.object({
    $comment: text,
    scheme: oid,
    codes: z.array(entry).min(1)
      .superRefine(unique((c: XdsCode) => (caseInsensitive ? c.code.toLowerCase() : c.code), 'code'))
      .superRefine(unique((c: XdsCode & { value?: string }) => c.value ?? c.code, 'value')),
  }).strict();
}

const schemas = {
  classCodes: { file: 'xds-class-codes.json', schema: codeSet(requiredCode) },
  typeCodes: { file: 'xds-type-codes.json', schema: codeSet(typeCode) },
  formatCodes: { file: 'xds-format-codes.json', schema: codeSet(code) },
  facilityTypes: { file: 'xds-facility-types.json', schema: codeSet(enumCode) },
  practiceSettings: { file: 'xds-practice-settings.json', schema: codeSet(requiredCode) },
  contentTypes: { file: 'xds-content-types.json', schema: codeSet(enumCode) },
  eventCodes: { file: 'xds-event-codes.json', schema: codeSet(code, true) },
  confidentialityCodes: { file: 'xds-confidentiality-codes.json', schema: codeSet(requiredCode) },
  administrativeRequests: {
    file: 'xds-administrative-requests.json',
    schema: z.object({ $comment: text, codes: z.array(requiredCode).min(1).superRefine(unique((c: XdsCode) => c.code, 'code')) }).strict(),
  },
  descriptionOids: {
    file: 'xds-description-oids.json',
    schema: z.object({
      $comment: text,
      oids: z.array(z.object({
        oid: z.string().refine((o) => OID.test(o.replace('{REG}', '0')), 'not an OID (template)'),
        description: text,
      }).strict()).min(1).superRefine(unique((d: DescriptionOid) => d.oid, 'oid')),
    }).strict(),
  },
} as const;

function load<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const full = path.join(dir, file);
  const parsed = schema.safeParse(JSON.parse(readFileSync(full, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid mapping file ${full}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function freezeSet<E extends XdsCode>(set: { scheme: string; codes: E[] }): XdsCodeSet<E> {
  return Object.freeze({ scheme: set.scheme, codes: Object.freeze(set.codes.map((c) => Object.freeze({ ...c }))) });
}

/**
 * Loads and checks the XDS value sets from a `mappings/` directory (no caching; tests may point at their own).
 * Besides each file's shape it checks the cross-references: every classCode of the correlation table exists in the
 * class codes. Throws at boot if anything is wrong.
 */
export function readXdsValueSets(mappingsDir: string = path.join(projectRoot, 'mappings')): XdsValueSets {
  const s = schemas;
  const typeCodes = freezeSet(load(mappingsDir, s.typeCodes.file, s.typeCodes.schema));
  const classCodes = freezeSet(load(mappingsDir, s.classCodes.file, s.classCodes.schema));
  for (const t of typeCodes.codes) {
    if (!classCodes.codes.some((c) => c.code === t.classCode)) {
      throw new Error(`Invalid mapping file ${s.typeCodes.file}: classCode ${t.classCode} of ${t.code} is not in ${s.classCodes.file}`);
    }
  }
  const admin = load(mappingsDir, s.administrativeRequests.file, s.administrativeRequests.schema);
  const descriptions = load(mappingsDir, s.descriptionOids.file, s.descriptionOids.schema);
  return Object.freeze({
    classCodes,
    typeCodes,
    formatCodes: freezeSet(load(mappingsDir, s.formatCodes.file, s.formatCodes.schema)),
    facilityTypes: freezeSet(load(mappingsDir, s.facilityTypes.file, s.facilityTypes.schema)),
    practiceSettings: freezeSet(load(mappingsDir, s.practiceSettings.file, s.practiceSettings.schema)),
    contentTypes: freezeSet(load(mappingsDir, s.contentTypes.file, s.contentTypes.schema)),
    eventCodes: freezeSet(load(mappingsDir, s.eventCodes.file, s.eventCodes.schema)),
    confidentialityCodes: freezeSet(load(mappingsDir, s.confidentialityCodes.file, s.confidentialityCodes.schema)),
    administrativeRequests: Object.freeze(admin.codes.map((c) => Object.freeze({ ...c }))),
    descriptionOids: Object.freeze(descriptions.oids.map((d) => Object.freeze({ ...d }))),
  });
}

let cached: XdsValueSets | undefined;

/** The project's XDS value sets, loaded and checked on first use, then shared. */
export function xdsValueSets(): XdsValueSets {
  cached ??= readXdsValueSets();
  return cached;
}

/** The entry of `set` with this code (exact case), if any. */
export function findCode<E extends XdsCode>(set: XdsCodeSet<E>, value: string | undefined): E | undefined {
  return value === undefined ? undefined : set.codes.find((c) => c.code === value);
}

/** The entry of `set` whose request value is `value` (exact case), if any. */
export function findByValue<E extends XdsEnumCode>(set: XdsCodeSet<E>, value: string | undefined): E | undefined {
  return value === undefined ? undefined : set.codes.find((c) => c.value === value);
}

/** The event code matching `value` case-insensitively, as the Gateway compares them. See: Gateway API digest, 10.4. */
export function findEventCode(sets: XdsValueSets, value: string): XdsCode | undefined {
  const lower = value.toLowerCase();
  return sets.eventCodes.codes.find((c) => c.code.toLowerCase() === lower);
}
