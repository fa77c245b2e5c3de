import { samePerson } from '../access/requester.js';
import type { StatusEvent } from '../stores/transaction-store.js';

/**
 * Who may read a transaction's status events: the producer that made the calls. The Gateway's own cone (digest 9.1)
 * compares the region in the reader's `sub` (`S1#120...`) with the events' issuers; the bridge, whose producers are
 * hospitals' systems and operators, shows an event to the system that signed it (the same certificate CN in `iss`),
 * to the person who made the call (`sub`), and, with the Gateway's rule, to a reader of the same region. Everything
 * else is answered as not found, so a workflowInstanceId of somebody else's document tells nothing.
 * See: Gateway API digest 9.1; privacy digest 4 (existence must not leak).
 */
export interface StatusReader {
  readonly sub?: string;
  readonly iss?: string;
}

const cnOf = (iss: string | undefined) => iss?.replace(/^(auth|integrity):/, '');

/** The region code of a national-style identity `S1#120201234567XX` (the first 3 characters after `#`). */
function regionOf(value: string | undefined): string | undefined {
  const second = value?.split('#')[1];
  return second !== undefined && /^\d{3}/.test(second) ? second.slice(0, 3) : undefined;
}

export function visibleStatusEvents(events: readonly StatusEvent[], reader: StatusReader): StatusEvent[] {
  const cn = cnOf(reader.iss);
  const region = regionOf(reader.sub) ?? regionOf(cn);
  return events.filter((e) => (cn !== undefined && cnOf(e.issuer) === cn)
    || samePerson(e.subject, reader.sub)
    || (region !== undefined && regionOf(cnOf(e.issuer)) === region));
}
