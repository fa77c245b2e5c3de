import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The JWT value sets of the Gateway (roles, purposes of use, organizations, action ids), read from `mappings/` and
 * checked once. Tables are data (house style, rule 4): the files cite the spec section they come from.
 * See: Gateway API digest, sections 10.5, 10.6, 10.7, 10.10.
 */

/** One code of a value set. */
export interface CodedValue {
  readonly code: string;
  readonly description: string;
}

/** The JWT value sets, frozen. */
export interface ValueSets {
  readonly subjectRoles: readonly CodedValue[];
  readonly purposesOfUse: readonly CodedValue[];
  /** `subject_organization_id` -> `subject_organization`, per the Gateway's code table (999 = MDS, 950 = GTW). */
  readonly organizations: readonly CodedValue[];
  readonly actionIds: readonly CodedValue[];
}

/** The project root: this file is `src/mappings/value-sets.ts`. */
export const projectRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const codedValue = z.object({ code: z.string().min(1), description: z.string().min(1) }).strict();

/** Codes of a set must be unique, or a lookup would silently pick the first. */
const codedList = z
  .array(codedValue)
  .min(1)
  .refine((list) => new Set(list.map((v) => v.code)).size === list.length, { message: 'duplicate code' });

const files = {
  subjectRoles: { file: 'subject-roles.json', key: 'roles' },
  purposesOfUse: { file: 'purposes-of-use.json', key: 'purposes' },
  organizations: { file: 'organizations.json', key: 'organizations' },
  actionIds: { file: 'action-ids.json', key: 'actions' },
} as const satisfies Record<keyof ValueSets, { file: string; key: string }>;

function loadList(dir: string, file: string, key: string): readonly CodedValue[] {
  const full = path.join(dir, file);
  const schema = z.object({ $comment: z.string().min(1), [key]: codedList }).strict();
  const parsed = schema.safeParse(JSON.parse(readFileSync(full, 'utf8')));
  if (!parsed.success) {
    throw new Error(`Invalid mapping file ${full}: ${z.prettifyError(parsed.error)}`);
  }
  const list = parsed.data[key] as CodedValue[];
  return Object.freeze(list.map((v) => Object.freeze({ code: v.code, description: v.description })));
}

/** Loads and checks the value sets from a `mappings/` directory (no caching; tests may point at their own). */
export function readValueSets(mappingsDir: string = path.join(projectRoot, 'mappings')): ValueSets {
  const out = {} as Record<keyof ValueSets, readonly CodedValue[]>;
  for (const [name, { file, key }] of Object.entries(files) as [keyof ValueSets, { file: string; key: string }][]) {
    out[name] = loadList(mappingsDir, file, key);
  }
  return Object.freeze(out);
}

let cached: ValueSets | undefined;

/** The project's value sets, loaded and checked on first use, then shared. Throws at boot if a file is invalid. */
export function valueSets(): ValueSets {
  cached ??= readValueSets();
  return cached;
}
