/** The access log: records, their chain, the store. See: docs/audit-log.md. */
export type { AuditDirection, AuditEntry, AuditOutcome, AuditRecord, AuditTransaction } from './audit-record.js';
export { createAuditLog, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type AuditLog, type AuditLogOptions, type ListByPatientOptions } from './audit-log.js';
export { callerFields, type CallerFields } from './caller-fields.js';
export { CANONICAL_VERSION, canonicalForm, chainHash, GENESIS_HASH } from './canonical-form.js';
export type { ChainBreak, VerifyOptions, VerifyResult } from './verify-chain.js';
