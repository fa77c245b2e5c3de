import type { AndOfOr, ObjectIds, ObjectKey, TimeRange } from '../../domain/stored-query.js';
import { EbxmlError } from '../ebxml-error.js';
import { compact } from '../rim-read.js';
import { asDtm, asEntryUuid, asUniqueId, type Convert } from './param-values.js';
import { listValue, parseQueryValues, quoteValue } from './query-values.js';

/**
 * Parameter access with IHE's cardinality rules, shared by the stored query codecs. A required parameter that is
 * absent is `XDSStoredQueryMissingParam`; a single-valued parameter with several values, a parameter repeated in
 * several slots that is not one of the AND parameters, or two "1 of" parameters given together are
 * `XDSStoredQueryParamNumber`. The codeContext names the parameter. Parameters a query does not know are never read,
 * so they are tolerated (INI's `$XDSDocumentEntry.author`, the toolkit's old `...CodeScheme` parameters).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7; xds-ini digest 4.4, 5.1, 5.2, 9.
 */

/** The slots of one AdhocQuery: parameter name -> one entry per `rim:Slot` occurrence -> its raw `rim:Value` texts. */
export type QueryParams = ReadonlyMap<string, readonly (readonly string[])[]>;

/** One parameter to write: its name and its `rim:Value` texts, already encoded. */
export interface QuerySlot {
  readonly name: string;
  readonly values: readonly string[];
}

const missing = (param: string): EbxmlError =>
  new EbxmlError('XDSStoredQueryMissingParam', `${param}: required parameter missing`, { location: param });

const paramNumber = (param: string, detail: string): EbxmlError =>
  new EbxmlError('XDSStoredQueryParamNumber', `${param}: ${detail}`, { location: param });

/** The values of a parameter that may appear in one slot only; undefined when absent or empty. */
function valuesOf(params: QueryParams, name: string): string[] | undefined {
  const slots = params.get(name);
  if (slots === undefined) return undefined;
  const [slot, ...more] = slots;
  if (more.length > 0) throw paramNumber(name, `given in ${slots.length} slots; only the AND parameters may repeat`);
  const values = parseQueryValues(slot ?? [], name);
  return values.length === 0 ? undefined : values;
}

/** A multi-valued (OR) parameter, or undefined. */
export function optionalList<T>(params: QueryParams, name: string, convert: Convert<T>): T[] | undefined {
  return valuesOf(params, name)?.map((v) => convert(v, name));
}

export function requiredList<T>(params: QueryParams, name: string, convert: Convert<T>): T[] {
  const list = optionalList(params, name, convert);
  if (list === undefined) throw missing(name);
  return list;
}

/** A single-valued parameter, or undefined; several values are `XDSStoredQueryParamNumber`. */
export function optionalSingle<T>(params: QueryParams, name: string, convert: Convert<T>): T | undefined {
  const values = valuesOf(params, name);
  if (values === undefined) return undefined;
  const [value, ...more] = values;
  if (value === undefined || more.length > 0) throw paramNumber(name, `single-valued, given ${values.length} values`);
  return convert(value, name);
}

export function requiredSingle<T>(params: QueryParams, name: string, convert: Convert<T>): T {
  const value = optionalSingle(params, name, convert);
  if (value === undefined) throw missing(name);
  return value;
}

/** An AND/OR parameter: one OR-list per slot, the slots ANDed. Empty slots are dropped. */
export function optionalAndOr<T>(params: QueryParams, name: string, convert: Convert<T>): AndOfOr<T> | undefined {
  const groups = (params.get(name) ?? [])
    .map((slot) => parseQueryValues(slot, name).map((v) => convert(v, name)))
    .filter((group) => group.length > 0);
  return groups.length === 0 ? undefined : groups;
}

export function requiredAndOr<T>(params: QueryParams, name: string, convert: Convert<T>): AndOfOr<T> {
  const groups = optionalAndOr(params, name, convert);
  if (groups === undefined) throw missing(name);
  return groups;
}

/** Which one of mutually exclusive parameters is present ("1 of"): none is missing, two are a number error. */
export function oneOf<K extends string>(params: QueryParams, names: readonly K[]): K {
  const present = names.filter((name) => params.has(name));
  const [name, ...more] = present;
  if (name === undefined) throw missing(names.join(' or '));
  if (more.length > 0) throw paramNumber(present.join(', '), 'mutually exclusive parameters given together');
  return name;
}

/** `...From` / `...To` as a {@link TimeRange}; undefined when neither is given. */
export function optionalTimeRange(params: QueryParams, from: string, to: string): TimeRange | undefined {
  const range = compact<TimeRange>({ from: optionalSingle(params, from, asDtm), to: optionalSingle(params, to, asDtm) });
  return range.from === undefined && range.to === undefined ? undefined : range;
}

/** "1 of" EntryUUID / UniqueId / LogicalID, each multi-valued. Pass `logicalId` only where the query accepts it. */
export function objectIds(params: QueryParams, names: { entryUuid: string; uniqueId: string; logicalId?: string }): ObjectIds {
  const which = oneOf(params, [names.entryUuid, names.uniqueId, ...(names.logicalId === undefined ? [] : [names.logicalId])]);
  if (which === names.entryUuid) return { entryUuids: requiredList(params, which, asEntryUuid) };
  if (which === names.uniqueId) return { uniqueIds: requiredList(params, which, asUniqueId) };
  return { logicalIds: requiredList(params, which, asEntryUuid) };
}

/** "1 of" EntryUUID / UniqueId, single-valued. */
export function objectKey(params: QueryParams, names: { entryUuid: string; uniqueId: string }): ObjectKey {
  const which = oneOf(params, [names.entryUuid, names.uniqueId]);
  return which === names.entryUuid
    ? { entryUuid: requiredSingle(params, which, asEntryUuid) }
    : { uniqueId: requiredSingle(params, which, asUniqueId) };
}

/** A single string parameter, quoted; nothing when undefined. */
export function stringSlot(name: string, value: string | undefined): QuerySlot[] {
  return value === undefined ? [] : [{ name, values: [quoteValue(value)] }];
}

/** A multi-valued parameter as one list value; nothing when undefined. */
export function listSlot(name: string, values: readonly string[] | undefined): QuerySlot[] {
  return values === undefined ? [] : [{ name, values: [listValue(values)] }];
}

/** An AND/OR parameter: one slot per OR-list. */
export function andOrSlots(name: string, groups: AndOfOr<string> | undefined): QuerySlot[] {
  return (groups ?? []).map((group) => ({ name, values: [listValue(group)] }));
}

/** A time range as two unquoted DTM values. */
export function timeRangeSlots(from: string, to: string, range: TimeRange | undefined): QuerySlot[] {
  return [
    ...(range?.from === undefined ? [] : [{ name: from, values: [range.from] }]),
    ...(range?.to === undefined ? [] : [{ name: to, values: [range.to] }]),
  ];
}

/** The slots of an {@link ObjectIds}. */
export function objectIdsSlots(ids: ObjectIds, names: { entryUuid: string; uniqueId: string; logicalId?: string }): QuerySlot[] {
  if ('entryUuids' in ids) return listSlot(names.entryUuid, ids.entryUuids);
  if ('uniqueIds' in ids) return listSlot(names.uniqueId, ids.uniqueIds);
  if (names.logicalId === undefined) throw new Error('this query has no LogicalID parameter');
  return listSlot(names.logicalId, ids.logicalIds);
}

/** The slot of an {@link ObjectKey}. */
export function objectKeySlots(key: ObjectKey, names: { entryUuid: string; uniqueId: string }): QuerySlot[] {
  return 'entryUuid' in key ? stringSlot(names.entryUuid, key.entryUuid) : stringSlot(names.uniqueId, key.uniqueId);
}
