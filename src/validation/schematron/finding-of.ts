import type { Finding, Severity } from '../findings.js';

/**
 * How a fired assert or report becomes a {@link Finding}, shared by both schematron engines (saxon-js and native) so
 * their findings cannot drift apart.
 */
export interface FiredCheck {
  readonly kind: 'assert' | 'report';
  readonly location: string;
  readonly message: string;
  readonly id?: string;
}

/** The national convention: a message starts with its rule id and a bar (`ERRORE-5| ...`, `W001 | ...`). */
function ruleId(message: string, assertId: string | undefined): string {
  const bar = message.indexOf('|');
  const prefix = bar > 0 ? message.slice(0, bar).trim() : '';
  return prefix !== '' ? prefix : (assertId ?? 'SCH');
}

/**
 * A failed assert is an error and a successful report a warning (Gateway API 7.3), except that an assert whose rule id
 * starts with `W` is a warning too: the catalog numbers its recommendations `W001`..., and the regional rules `W-REG-`.
 */
function severityOf(kind: FiredCheck['kind'], id: string): Severity {
  if (kind === 'report') return 'warning';
  return id.startsWith('W') ? 'warning' : 'error';
}

/** Messages come back with whitespace normalised, as `normalize-space()` would. */
export function findingOf(fired: FiredCheck): Finding {
  const message = fired.message.replace(/\s+/g, ' ').trim();
  const id = ruleId(message, fired.id);
  return { id, severity: severityOf(fired.kind, id), message, location: fired.location };
}
