import type { AuditLog } from '../audit/index.js';
import { currentContext } from '../logging/context.js';
import type { IniRequester } from './ini-assertion.js';
import type { IniClient } from './ini-client.js';

/**
 * The INI client with every call in the access log (outbound: who the call was made for, why, which patient, which
 * documents came back or were sent, the outcome), including calls that failed: a failure is recorded under the
 * error's name (`IniUnavailableError`, `IniBrokenAnswerError`) and thrown on unchanged. See: federation issue, section 5.
 */
export function auditedIniClient(client: IniClient, audit: AuditLog): IniClient {
  async function logged<T>(transaction: string, requester: IniRequester, run: () => Promise<T>, documents: (r: T) => readonly string[],
    outcome: (r: T) => { status: 'Success' | 'PartialSuccess' | 'Failure'; codes: readonly string[] }): Promise<T> {
    const who = requester.identity;
    const base = {
      direction: 'outbound' as const, transaction, counterpart: 'INI', subjectId: who.subjectId, subjectRole: who.role,
      organizationId: who.organizationId, organizationName: who.organization, purposeOfUse: requester.purposeOfUse,
      patientId: requester.patientId, credentialId: who.credentialId, traceId: currentContext()?.traceId,
    };
    try {
      const result = await run();
      const { status, codes } = outcome(result);
      await audit.record({ ...base, documentIds: documents(result), outcome: status, errorCodes: codes });
      return result;
    } catch (err) {
      await audit.record({ ...base, outcome: 'Failure', errorCodes: [(err as Error).name] });
      throw err;
    }
  }
  const registry = (r: { status: 'Success' | 'PartialSuccess' | 'Failure'; errors: readonly { code: string }[] }) => ({ status: r.status, codes: r.errors.map((e) => e.code) });
  return {
    query: (request, requester, budgetMs) => logged('ITI-18', requester, () => client.query(request, requester, budgetMs),
      (r) => (r.result.kind === 'LeafClass' ? r.result.documentEntries.map((e) => e.uniqueId) : []), registry),
    references: (uniqueId, requester) => logged('ITI-18', requester, () => client.references(uniqueId, requester), () => [uniqueId],
      () => ({ status: 'Success', codes: [] })),
    retrieve: (requests, requester, budgetMs) => logged('ITI-43', requester, () => client.retrieve(requests, requester, budgetMs),
      (r) => r.documents.map((d) => d.documentUniqueId), registry),
    register: (submission, requester) => logged('ITI-42', requester, () => client.register(submission, requester),
      () => submission.documents.map((d) => d.entry.uniqueId), registry),
    update: (submission, requester) => logged('ITI-57', requester, () => client.update(submission, requester),
      () => submission.documents.map((d) => d.entry.uniqueId), registry),
    remove: (uuids, requester) => logged('INI-delete', requester, () => client.remove(uuids, requester), () => [], registry),
    close: () => client.close(),
  };
}
