import type { ConsentRecord, ConsentState, RecordedBy } from '../domain/citizen-rights.js';

/**
 * Patients' consultation consents, as the region (their RDA) records them: the latest record is the one in force,
 * the earlier ones stay as history. Patients are keyed by `personKey` (fiscal code). See: privacy digest 3.
 */
export interface ConsentStore {
  /** The consent in force, if the region holds any record. */
  current(patient: string): Promise<ConsentRecord | undefined>;
  /** `given`, `withdrawn`, or `unknown` when there is no record. */
  stateOf(patient: string): Promise<ConsentState>;
  /** Records a new consent (given or withdrawn) and returns it. */
  record(patient: string, consultation: boolean, by: RecordedBy): Promise<ConsentRecord>;
  /** Every record of the patient, newest first. */
  history(patient: string, limit: number): Promise<ConsentRecord[]>;
}
