import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CallerIdentity } from '../domain/caller.js';
import type { DocumentEntry } from '../domain/xds.js';
import { projectRoot } from '../mappings/value-sets.js';

/**
 * Access control on consultation (ITI-18, ITI-43): whether a requester may read a patient's documents at all
 * (purpose of use, role, consent), and which of them it may see (obscuring event codes P99/P97/P98, restricted
 * confidentiality). The rules are data (`mappings/access-policy.json`). Anonymous callers (a region running without
 * caller identity) may query but never see an obscured or restricted document. See: xds-ini digest 4.8, 6.9, 6.10,
 * pitfall 21.
 */
const Rule = z.strictObject({
  visibleTo: z.array(z.enum(['patient', 'author'])).optional(),
  hiddenFromRoles: z.array(z.string()).optional(),
  hiddenFrom: z.array(z.enum(['patient'])).optional(),
});
const Schema = z.strictObject({
  $comment: z.string().min(1),
  readPurposes: z.array(z.string()).min(1),
  consentRequiredFor: z.array(z.string()),
  readRoles: z.array(z.string()).min(1),
  patientRoles: z.array(z.string()),
  obscuring: z.record(z.string(), Rule),
  restricted: z.record(z.string(), z.strictObject({ roles: z.array(z.string()) })),
});

export type ReadPolicy = z.infer<typeof Schema>;

export function readAccessPolicy(file = path.join(projectRoot, 'mappings', 'access-policy.json')): ReadPolicy {
  const parsed = Schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid mapping file ${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

let cached: ReadPolicy | undefined;
export function accessPolicy(): ReadPolicy {
  cached ??= readAccessPolicy();
  return cached;
}

export type ReadDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const fiscalCode = (cx: string | undefined): string | undefined => cx?.split('^')[0]?.toUpperCase() || undefined;

/** The requester is the patient acting for themselves. */
export function isPatientSelf(identity: CallerIdentity, patientId: string): boolean {
  const self = fiscalCode(identity.subjectId) !== undefined && fiscalCode(identity.subjectId) === fiscalCode(patientId);
  return self && (identity.purposeOfUse === 'PERSONAL' || (identity.role !== undefined && accessPolicy().patientRoles.includes(identity.role)));
}

/** Whether `identity` may consult documents of `patientId`. Certificate and anonymous callers state no purpose. */
export function decideRead(identity: CallerIdentity, patientId: string | undefined, policy: ReadPolicy = accessPolicy()): ReadDecision {
  if (identity.source !== 'saml') return { allowed: true };
  const purpose = identity.purposeOfUse;
  if (purpose === undefined || !policy.readPurposes.includes(purpose)) return { allowed: false, reason: `purpose of use ${purpose ?? '(none)'} does not allow consultation` };
  if (identity.role === undefined || !policy.readRoles.includes(identity.role)) return { allowed: false, reason: `role ${identity.role ?? '(none)'} may not consult` };
  if (identity.actionId !== undefined && identity.actionId !== 'READ') return { allowed: false, reason: `action-id ${identity.actionId} is not READ` };
  if (policy.consentRequiredFor.includes(purpose) && identity.patientConsent !== true) return { allowed: false, reason: `purpose ${purpose} needs the patient's consent` };
  if (purpose === 'PERSONAL' && patientId !== undefined && !isPatientSelf(identity, patientId)) return { allowed: false, reason: 'PERSONAL consultation is for the patient only' };
  return { allowed: true };
}

/** Whether `identity` may see this entry (its metadata, its bytes). See: xds-ini digest 6.9, 6.10. */
export function isVisible(entry: DocumentEntry, identity: CallerIdentity, policy: ReadPolicy = accessPolicy()): boolean {
  const known = identity.source !== 'anonymous';
  const patient = known && isPatientSelf(identity, entry.patientId);
  const author = known && fiscalCode(identity.subjectId) !== undefined && entry.authors.some((a) => fiscalCode(a.person) === fiscalCode(identity.subjectId));
  for (const code of entry.eventCodes) {
    const rule = policy.obscuring[code.code.toUpperCase()];
    if (!rule) continue;
    if (rule.visibleTo && !((rule.visibleTo.includes('patient') && patient) || (rule.visibleTo.includes('author') && author))) return false;
    if (rule.hiddenFromRoles && (!known || (identity.role !== undefined && rule.hiddenFromRoles.includes(identity.role)))) return false;
    if (rule.hiddenFrom?.includes('patient') && (!known || patient)) return false;
  }
  for (const code of entry.confidentialityCodes) {
    const rule = policy.restricted[code.code];
    if (rule && !(patient || (known && identity.role !== undefined && rule.roles.includes(identity.role)))) return false;
  }
  return true;
}
