import type { CallerIdentity } from '../domain/caller.js';
import type { AuditEntry } from './audit-record.js';

/** The "who" and "why" of an inbound message, taken from its caller identity. */
export type CallerFields = Pick<AuditEntry,
  'counterpart' | 'subjectId' | 'subjectRole' | 'organizationId' | 'organizationName' | 'purposeOfUse' | 'credentialId'>;

/**
 * Maps the SOAP caller identity (SAML attributes or a mapped client certificate) to the access log's fields.
 * The counterpart is the SAML Issuer or certificate subject; an anonymous caller is recorded as `anonymous`.
 * See: xds-ini digest 7.2 (attributes), 7.6 (validating inbound assertions).
 */
export function callerFields(caller: CallerIdentity): CallerFields {
  const fields: Record<string, string | undefined> = {
    counterpart: caller.issuer ?? caller.source,
    subjectId: caller.subjectId,
    subjectRole: caller.role,
    organizationId: caller.organizationId,
    organizationName: caller.organization,
    purposeOfUse: caller.purposeOfUse,
    credentialId: caller.credentialId,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as CallerFields;
}
