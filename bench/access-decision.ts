/**
 * The cost of the access decision per ITI-18 of 100 entries, a `bench:soap` row: the same FindDocuments (LeafClass,
 * one patient with 100 entries, 95 Approved, one in ten P99, one in fifty V) through the consumer's operation
 * (`federatedQuery`, no SOAP, no INI), side by side in one run: the open policy (no decision at all: the reference),
 * and the region's policy for a doctor with the patient's consent on record, and for the patient. The difference is
 * what the decision costs: its three lookups (consent, RDA, relations) and one verdict per entry.
 */
import { performance } from 'node:perf_hooks';
import { loadAccessPolicy, type AccessPolicy } from '../src/access/access-policy.js';
import { requesterOfCaller } from '../src/access/requester.js';
import { PROJECT_ROOT } from '../src/config.js';
import { runMigrations } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import type { CallerIdentity } from '../src/domain/caller.js';
import { parsePatientId, personKey } from '../src/domain/ids.js';
import { federatedQuery } from '../src/operations/iti18-federated-query.js';
import { createAssistedPatientStore } from '../src/stores/assisted-patient-store.js';
import { createPgConsentStore } from '../src/stores/pg-consent-store.js';
import { createPgVisibilityRequestStore } from '../src/stores/pg-visibility-request-store.js';
import { createPgRelationStore } from '../src/stores/pg-relation-store.js';
import { benchPatient, seedRegistry } from './seed-registry.js';
import { pct } from './stats.js';

const ms = (x: number): string => x.toFixed(2);

export async function benchAccessDecision(databaseUrl: string, schema: string, rounds: number, out: (line?: string) => void): Promise<void> {
  const pool = createPool(databaseUrl, { schema, max: 4 });
  try {
    await runMigrations(pool, { schema });
    await seedRegistry(pool, { patients: 1, perPatient: 100 });
    const patient = benchPatient(0);
    const consents = createPgConsentStore(pool);
    await consents.record(personKey(patient), true, { subject: personKey(patient), role: 'ASS', channel: 'bench' });
    const access = (policy: AccessPolicy) => ({
      policy, consents, relations: createPgRelationStore(pool), patients: createAssistedPatientStore(pool), visibility: createPgVisibilityRequestStore(pool),
    });
    const regional = access(loadAccessPolicy());
    const open = access(loadAccessPolicy(`${PROJECT_ROOT}/mappings/access-policy-open.json`));
    const request = { returnType: 'LeafClass' as const, query: { type: 'FindDocuments' as const, patientId: parsePatientId(patient), statuses: ['Approved' as const] } };
    const doctor: CallerIdentity = {
      source: 'saml', verified: true, subjectId: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'APR', purposeOfUse: 'TREATMENT',
      actionId: 'READ', resourceId: patient, patientConsent: true,
    };
    const self: CallerIdentity = { ...doctor, subjectId: patient, role: 'ASS', purposeOfUse: 'PERSONAL' };
    const cases = [
      { name: 'open policy (no decision: the reference)', caller: doctor, deps: open },
      { name: 'region\'s policy, doctor (consent on record)', caller: doctor, deps: regional },
      { name: 'region\'s policy, the patient', caller: self, deps: regional },
    ];
    const results = new Map<string, { latencies: number[]; returned: number }>(cases.map((c) => [c.name, { latencies: [], returned: 0 }]));
    // Interleaved rounds, so that the machine's noise falls on every case alike.
    for (let round = 0; round < rounds + 50; round += 1) {
      for (const c of cases) {
        const deps = { pool, maxLeafClassResults: 1000, maxObjectRefResults: 10_000, patients: c.deps.patients, iniBudgetMs: 0, access: c.deps };
        const t = performance.now();
        const answer = await federatedQuery({ request, caller: c.caller, requester: requesterOfCaller(c.caller, false) }, deps);
        const elapsed = performance.now() - t;
        if (answer.status !== 'Success') throw new Error(`${c.name}: ${JSON.stringify(answer.errors)}`);
        const r = results.get(c.name)!;
        if (round >= 50) r.latencies.push(elapsed);
        r.returned = answer.result.kind === 'LeafClass' ? answer.result.documentEntries.length : 0;
      }
    }
    const reference = pct(results.get(cases[0]!.name)!.latencies, 50);
    out('');
    out('| ITI-18 FindDocuments of one patient with 100 entries (95 Approved), federatedQuery without SOAP | rounds | entries returned | p50 ms | p99 ms | p50 vs reference |');
    out('|---|---|---|---|---|---|');
    for (const c of cases) {
      const r = results.get(c.name)!;
      const p50 = pct(r.latencies, 50);
      out(`| ${c.name} | ${rounds} | ${r.returned} | ${ms(p50)} | ${ms(pct(r.latencies, 99))} | ${(p50 / reference).toFixed(2)}x (+${ms(p50 - reference)} ms) |`);
    }
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}
