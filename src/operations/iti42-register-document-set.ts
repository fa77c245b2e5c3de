import type { Submission } from '../domain/xds.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { checkAgainstRegistry } from './registry-checks.js';
import { registryWrite } from './registry-write.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * ITI-42 Register Document Set-b: metadata of documents held in another repository, registered in the regional
 * registry after IHE's and the Affinity Domain's checks, atomically. Nothing goes to the national Gateway: its REST
 * contract publishes documents (PDFs), and a repository that holds its own documents publishes them there itself;
 * this is the registry's own transaction (and, from the federation issue on, INI's metadata messages). A resubmission
 * of what is registered already answers Success without writing (INI retries). See: xds-ini digest 1.2, 4.2, 10 item 23.
 */
export interface RegisterDocumentSetDeps {
  readonly registry: RegistryStore;
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (`FSE_XDS_PATIENT_DOMAINS`); undefined: any. */
  readonly patientDomains?: readonly string[];
}

export async function registerDocumentSet(submission: Submission, deps: RegisterDocumentSetDeps): Promise<RegistryResponse> {
  const errors = checkSubmission(submission, { transaction: 'iti42', profile: deps.profile, patientDomains: deps.patientDomains });
  if (errors.length > 0) return { status: 'Failure', errors };
  const checked = await checkAgainstRegistry(submission, deps.registry);
  if (checked.errors.length > 0) return { status: 'Failure', errors: checked.errors };
  if (checked.duplicate) return { status: 'Success', errors: [] };
  return registryWrite(() => deps.registry.registerSubmission(submission));
}
