import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntryUuid } from '../../../src/domain/ids.js';
import { decodeSubmitObjectsRequest } from '../../../src/ebxml/submit-objects-request.js';
import type { RegistryStore } from '../../../src/stores/registry-store.js';
import { withXml } from '../../../src/xml/xml-toolkit.js';
import { sectionsOf } from './nist-testkit.js';
import { translateRim21 } from './rim21-translator.js';
import { readTestPlan, type UseId } from './testplan.js';

/**
 * Loads a NIST registry data test (12346, 12374) the way the toolkit's Registry orchestration does: each section's
 * Register.b submission, in `index.idx` order, for one patient, straight into the registry store (in process, or
 * over SOAP as ITI-42 to a bridge under the `ihe` profile: the Connectathon codes are not Italian). It records what the toolkit would log per step
 * (AssignedUuids, AssignedUids, AssignedPatientId) so later steps can resolve their `UseId`s.
 */
export interface StepLog {
  readonly patientId: string;
  readonly uuids: ReadonlyMap<string, EntryUuid>;
  readonly uids: ReadonlyMap<string, string>;
  /** What the step reported (`<Report>`, and `<id>_uid` for a submission's objects), for later `UseReport`s. */
  readonly reports?: ReadonlyMap<string, string>;
  /** The DocumentEntries a query returned: uniqueId -> mimeType (for a Retrieve's `ReferenceMetadata`). */
  readonly mimeTypes?: ReadonlyMap<string, string>;
}

/** Records a step's log. */
export function logStep(logs: TestLogs, sectionDir: string, stepId: string, log: StepLog): void {
  const sectionLogs = logs.get(sectionDir) ?? new Map<string, StepLog>();
  sectionLogs.set(stepId, log);
  logs.set(sectionDir, sectionLogs);
}

/** Step logs by section folder (absolute path) and step id. */
export type TestLogs = Map<string, Map<string, StepLog>>;

const read = (file: string) => readFileSync(file, 'utf8');

let uidCounter = 0;
/** A fresh uniqueId (an OID), as the toolkit allocates them. */
export const newUniqueId = (): string => `1.3.6.1.4.1.21367.2005.3.99.${Date.now()}.${(uidCounter += 1)}`;

/** The value a `UseId` names in the logs, or an Error saying what is missing. */
export function resolveUseId(logs: TestLogs, fromDir: string, use: UseId): string {
  // `testdir` is relative to the section; some of the data (12021/retrieve) names a sibling as if from the test
  // folder, which the toolkit resolves too.
  const step = (logs.get(path.resolve(fromDir, use.testdir)) ?? logs.get(path.resolve(fromDir, '..', use.testdir)))?.get(use.step);
  if (step === undefined) throw new Error(`UseId ${use.symbol}: no step ${use.step} logged in ${use.testdir}`);
  const value = use.section === 'AssignedPatientId' ? step.patientId
    : use.section === 'AssignedUuids' ? step.uuids.get(use.id)
      : use.section === 'AssignedUids' ? step.uids.get(use.id) : undefined;
  if (value === undefined) throw new Error(`UseId ${use.symbol}: no ${use.id} in ${use.section} of ${use.testdir}/${use.step}`);
  return value;
}

/** Registers one ebRIM 3.0 `lcm:SubmitObjectsRequest` (a Register.b), throwing when the registry refuses it. */
export type RegisterXml = (submitObjectsRequest: string) => Promise<void>;

/** Straight into the registry store, in process. */
export const intoStore = (registry: RegistryStore): RegisterXml => async (xml) => {
  await registry.registerSubmission(withXml(xml, (doc) => decodeSubmitObjectsRequest(doc.root)));
};

/** Registers every Register.b step of the data test in `testDir` for `patientId`; the logs are added to `logs`. */
export async function loadRegistryData(register: RegisterXml, testDir: string, patientId: string, logs: TestLogs): Promise<number> {
  let submissions = 0;
  for (const sectionDir of sectionsOf(testDir, read)) {
    for (const step of readTestPlan(sectionDir)) {
      if (step.kind !== 'Register' || step.metadataFile === undefined) continue;
      const symbols = new Map(step.useIds.map((use) => [use.symbol, resolveUseId(logs, sectionDir, use)]));
      const translation = translateRim21(read(step.metadataFile), { patientId, symbols, newUniqueId });
      await register(translation.xml);
      submissions += 1;
      logStep(logs, sectionDir, step.id, { patientId, uuids: translation.uuids, uids: translation.uids });
    }
  }
  return submissions;
}
