import type pg from 'pg';
import { defaultAccessPolicy, type AccessPolicy } from '../../src/access/access-policy.js';
import type { AccessGuardDeps } from '../../src/operations/access-guard.js';
import { createAssistedPatientStore } from '../../src/stores/assisted-patient-store.js';
import { createPgConsentStore } from '../../src/stores/pg-consent-store.js';
import { createPgRelationStore } from '../../src/stores/pg-relation-store.js';
import { createPgVisibilityRequestStore } from '../../src/stores/pg-visibility-request-store.js';

/** The access decision's dependencies on a test schema: the real stores and the project's (or a given) policy. */
export function accessDeps(pool: pg.Pool, policy: AccessPolicy = defaultAccessPolicy()): AccessGuardDeps {
  return {
    policy, consents: createPgConsentStore(pool), relations: createPgRelationStore(pool), patients: createAssistedPatientStore(pool),
    visibility: createPgVisibilityRequestStore(pool),
  };
}
