import type { EntryUuid } from '../domain/ids.js';
import type { StoredQueryRequest } from '../domain/stored-query.js';
import type { DocumentEntry } from '../domain/xds.js';
import { getDocuments } from '../stores/stored-queries/get-documents.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import { resultSize } from '../stores/stored-queries/query-outcome.js';
import type { AccessGuard } from './access-guard.js';
import { registryStoredQuery, type RegistryStoredQueryDeps, type RegistryStoredQueryResponse } from './iti18-registry-stored-query.js';
import type { LeafClass } from './query-merge.js';

/**
 * ITI-18's answer with the access decision applied before anything leaves: hidden entries, the packages of patients
 * the requester may not consult, and every association naming one of them are dropped, and only then are the limit
 * (XDSTooManyResults) and the single-patient rule checked, so neither a count nor an error reveals what is hidden.
 * See: privacy digest 4 ("not in query results, not through ObjectRef, not in counts"); xds-ini digest 4.8.
 */
/** Looks up DocumentEntries by entryUUID: those an association of the answer names without the answer holding them. */
export type EntryLookup = (uuids: readonly EntryUuid[]) => Promise<readonly DocumentEntry[]>;

/** The entries an answer's associations point to outside the answer (GetAssociations) that the requester may not see. */
async function hiddenEndpoints(result: LeafClass, guard: AccessGuard, lookup: EntryLookup | undefined): Promise<string[]> {
  if (!lookup || result.associations.length === 0) return [];
  const inside = new Set<string>([...result.documentEntries, ...result.submissionSets, ...result.folders].map((o) => o.entryUuid));
  const outside = [...new Set(result.associations.flatMap((a) => [a.sourceUuid, a.targetUuid]).filter((id) => !inside.has(id)))];
  if (outside.length === 0) return [];
  const hidden: string[] = [];
  for (const entry of await lookup(outside)) if (!(await guard.entry(entry)).allowed) hidden.push(entry.entryUuid);
  return hidden;
}

export async function visibleLeafClass(result: LeafClass, guard: AccessGuard, lookup?: EntryLookup): Promise<LeafClass> {
  const documentEntries = await guard.visible(result.documentEntries);
  const allowed = async <T extends { patientId: string }>(objects: readonly T[]) => {
    const kept: T[] = [];
    for (const o of objects) if ((await guard.patient(o.patientId)).allowed) kept.push(o);
    return kept;
  };
  const submissionSets = await allowed(result.submissionSets);
  const folders = await allowed(result.folders);
  const present = new Set<string>([...documentEntries, ...submissionSets, ...folders].map((o) => o.entryUuid));
  const hidden = new Set<string>([...result.documentEntries, ...result.submissionSets, ...result.folders]
    .map((o) => o.entryUuid).filter((id) => !present.has(id)));
  for (const id of await hiddenEndpoints(result, guard, lookup)) hidden.add(id);
  const associations = hidden.size === 0 ? result.associations
    : result.associations.filter((a) => !hidden.has(a.sourceUuid) && !hidden.has(a.targetUuid));
  return { kind: 'LeafClass', documentEntries, submissionSets, folders, associations };
}

const limitOf = (request: StoredQueryRequest, deps: RegistryStoredQueryDeps) =>
  (request.returnType === 'LeafClass' ? deps.maxLeafClassResults : deps.maxObjectRefResults);

/** XDSTooManyResults or XDSResultNotSinglePatient for what the requester would actually receive; else undefined. */
export function withinLimits(result: LeafClass, request: StoredQueryRequest, deps: RegistryStoredQueryDeps): RegistryError | undefined {
  const max = limitOf(request, deps);
  if (resultSize(result) > max) {
    return registryError('XDSTooManyResults', `${request.query.type} matches more than ${max} objects for ${request.returnType}: ask for ObjectRef or narrow the query`);
  }
  if (request.returnType !== 'LeafClass') return undefined;
  const patients = new Set([...result.documentEntries, ...result.submissionSets, ...result.folders].map((o) => o.patientId));
  if (patients.size > 1) {
    return registryError('XDSResultNotSinglePatient', `${request.query.type}: the LeafClass result spans ${patients.size} patients; ask for ObjectRef`);
  }
  return undefined;
}

/** Entries by entryUUID from the regional registry, every status and version (the GetDocuments store query). */
export function entryLookup(deps: RegistryStoredQueryDeps): EntryLookup {
  return async (uuids) => {
    const outcome = await getDocuments(deps.pool, { type: 'GetDocuments', documents: { entryUuids: uuids } }, { returnType: 'LeafClass', maxResults: Number.MAX_SAFE_INTEGER });
    return !outcome.tooMany && outcome.result.kind === 'LeafClass' ? outcome.result.documentEntries : [];
  };
}

/** Hidden objects a too-large raw result may hold: the raw limit grows by this factor until the visible part decides. */
const GROWTH = 4;
const MAX_ROUNDS = 2;

/**
 * The regional registry's visible answer. The store stops at a limit and says "too many" without loading more; when
 * it does, hidden objects may be what tips it over, so the query runs again with a larger limit until the visible
 * result is known to fit or not (a few rounds: a patient's hidden documents are few). The limits are then checked on
 * what is visible only.
 */
export async function visibleLocalResult(request: StoredQueryRequest, guard: AccessGuard, deps: RegistryStoredQueryDeps): Promise<RegistryStoredQueryResponse> {
  const max = limitOf(request, deps);
  let raw = max;
  for (let round = 0; ; round += 1) {
    const answer = await registryStoredQuery({ ...request, returnType: 'LeafClass' }, deps, { maxResults: raw, singlePatient: false });
    const tooMany = answer.errors.some((e) => e.code === 'XDSTooManyResults');
    if (tooMany && round < MAX_ROUNDS) {
      raw = raw * GROWTH + 100;
      continue;
    }
    const empty = { kind: 'LeafClass', documentEntries: [], submissionSets: [], folders: [], associations: [] } as const;
    if (tooMany) return { status: 'Failure', errors: [withinLimits({ ...empty, documentEntries: new Array(max + 1) }, request, deps)!], result: empty };
    if (answer.status === 'Failure' || answer.result.kind !== 'LeafClass') return answer;
    const visible = await visibleLeafClass(answer.result, guard, entryLookup(deps));
    const limited = withinLimits(visible, request, deps);
    if (limited) return { status: 'Failure', errors: [limited], result: empty };
    return { ...answer, result: visible };
  }
}
