import type pg from 'pg';
import type { RepositoryUniqueId } from '../domain/ids.js';
import type { RegistryResponse } from '../domain/registry-response.js';
import type { Submission } from '../domain/xds.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import { registerWithDocuments } from '../stores/document-set-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { checkAgainstRegistry } from './registry-checks.js';
import { registryWrite } from './registry-write.js';

/**
 * ITI-41 Provide and Register under the `ihe` metadata profile: a combined repository and registry of its own, as
 * IHE defines the actor, with no national publication. The `ihe` profile is for test beds (the NIST XDS Toolkit,
 * Connectathon) and IHE-only affinity domains: their documents are text, images or any MIME type, not the FSE 2.0
 * PDFs with embedded CDA the national Gateway publishes, so they stay in the region. Every document of the
 * submission, with its Folders and Associations, is stored in ONE transaction: all or nothing (ITI TF-2b 3.41.4.1.3).
 * The repository sets hash and size and refuses submitted values that disagree (XDSRepositoryMetadataError, ITI
 * TF-3 4.2.3.2.9); documents without metadata and metadata without documents are refused by the decoder
 * (XDSMissingDocumentMetadata, XDSMissingDocument). See: xds-ini digest 4.1; README "Metadata profiles".
 */
export interface RegionalProvideDeps {
  readonly pool: pg.Pool;
  readonly registry: RegistryStore;
  readonly region: { readonly repositoryUniqueId: string };
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (`FSE_XDS_PATIENT_DOMAINS`); undefined: any. */
  readonly patientDomains?: readonly string[];
}

export async function provideAndRegisterRegionally(submission: Submission, deps: RegionalProvideDeps): Promise<RegistryResponse> {
  const repositoryUniqueId = deps.region.repositoryUniqueId as RepositoryUniqueId;
  // The repository names itself in every entry it stores, whatever the source sent. See: ITI TF-2b 3.41.4.1.3.
  const stored: Submission = { ...submission, documents: submission.documents.map((d) => ({ ...d, entry: { ...d.entry, repositoryUniqueId } })) };
  const errors = checkSubmission({ ...stored, documents: stored.documents.map((d) => ({ entry: d.entry })) }, { transaction: 'iti41', profile: deps.profile, patientDomains: deps.patientDomains });
  if (errors.length > 0) return { status: 'Failure', errors };
  const checked = await checkAgainstRegistry(stored, deps.registry);
  if (checked.errors.length > 0) return { status: 'Failure', errors: checked.errors };
  if (checked.duplicate) return { status: 'Success', errors: [] };
  return registryWrite(() => registerWithDocuments(deps.pool, stored));
}
