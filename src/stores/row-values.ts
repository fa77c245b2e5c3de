import type { Author, Code } from '../domain/xds.js';

/**
 * Small conversions shared by the registry row mappers: PostgreSQL NULL <-> absent optional property, and the JSON
 * shapes the read queries aggregate child rows into.
 */

/** Drops properties whose value is null or undefined, so a read-back object equals the one written. */
export function compact<T extends object>(value: { [K in keyof T]: T[K] | null }): T {
  // In place on the fresh literal each caller builds: deleting keys is cheaper than rebuilding it (a hot path of ITI-18).
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (record[key] === null || record[key] === undefined) delete record[key];
  return value as T;
}

/** A coded value from three columns (code, scheme, display). */
export function codeOf(code: string, scheme: string, display: string | null): Code {
  return compact<Code>({ code, scheme, display });
}

/** The JSON one aggregated author row becomes (see the read queries' `json_build_object`). */
export interface AuthorJson {
  person: string | null;
  institutions: string[];
  roles: string[];
  specialties: string[];
  telecom: string[];
}

export function authorOf(json: AuthorJson): Author {
  return compact<Author>(json);
}

export function codeFromJson(json: { code: string; scheme: string; display: string | null }): Code {
  return codeOf(json.code, json.scheme, json.display);
}

/** Child rows of an author classification, numbered to keep the submitted order. */
export function authorRows(entryUuid: string, authors: readonly Author[]): Record<string, unknown>[] {
  return authors.map((a, ord) => ({
    entry_uuid: entryUuid,
    ord,
    person: a.person,
    institutions: a.institutions,
    roles: a.roles,
    specialties: a.specialties,
    telecom: a.telecom,
  }));
}

/** SQL fragment aggregating the author rows of `table` for the object aliased `alias`. */
export function authorsJsonSql(table: string, alias: string): string {
  return `(SELECT coalesce(json_agg(json_build_object('person', a.person, 'institutions', a.institutions,
      'roles', a.roles, 'specialties', a.specialties, 'telecom', a.telecom) ORDER BY a.ord), '[]')
    FROM ${table} a WHERE a.entry_uuid = ${alias}.entry_uuid)`;
}

/** DTM (UTC, YYYYMMDDhhmmss) of an instant, for registry-set times such as a Folder's lastUpdateTime. */
export function toDtm(instant: Date): string {
  return instant.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
