import { hasObscuringCode, type VisibilityRequest } from '../domain/citizen-rights.js';

/**
 * Whether a document counts as obscured here and now, from its entry's event codes and the citizen's requests.
 * While a request is not confirmed by the Gateway, the stricter visibility applies: an obscuring takes effect at
 * once, an un-obscuring only once confirmed; a refused obscuring stays in force locally (the citizen is told), a
 * refused un-obscuring leaves the document obscured. Once the latest request is confirmed (or there is none), the
 * entry decides: the registry follows the national record. See: privacy digest 4; docs/privacy.md (obscuring on request).
 */
export interface ObscurableEntry {
  readonly uniqueId: string;
  readonly eventCodes: readonly { readonly code: string }[];
}

/** The latest of `requests` about `uniqueId` (by time asked), if any. */
export function latestRequest(uniqueId: string, requests: readonly VisibilityRequest[]): VisibilityRequest | undefined {
  let latest: VisibilityRequest | undefined;
  for (const r of requests) {
    if (r.uniqueId === uniqueId && (latest === undefined || r.requestedAt >= latest.requestedAt)) latest = r;
  }
  return latest;
}

/**
 * The obscuring in force for `entry`; `requests` may be any of the patient's (those of other documents are ignored).
 * This is the "obscured" flag the citizen API shows.
 */
export function effectiveObscured(entry: ObscurableEntry, requests: readonly VisibilityRequest[]): boolean {
  const latest = latestRequest(entry.uniqueId, requests);
  if (latest !== undefined && latest.state !== 'confirmed') return true;
  return hasObscuringCode(entry.eventCodes);
}
