import { createHash } from 'node:crypto';
import { parseUniqueId } from '../domain/ids.js';
import type { RegionNode, Topology } from './federation-topology.js';
import { DEMO_PATIENT, regionClient } from './region-client.js';
import { until } from './until.js';

/**
 * The two-region scenario of `fse-bridge demo two-regions`, step by step on a running topology: a hospital of the
 * RDE publishes an LDO for a patient the RDA assists; the RDA's registry gets it through the Gateway, INI and INI's
 * metadata message; a doctor of the RDA finds it and retrieves it from the RDE through INI; the RDE replaces it and
 * then deletes it, and the RDA follows; both access logs verify. Each step prints what it saw; the first step that
 * does not see what the national design says stops the scenario. See: xds-ini digest 1.1-1.4; docs/federation.md.
 */

export interface ScenarioStep {
  readonly title: string;
  readonly ok: boolean;
  readonly detail: string;
}

class StepFailed extends Error {}

export async function runTwoRegionsScenario(topology: Topology, rdeCode: string, rdaCode: string, print: (line: string) => void): Promise<ScenarioStep[]> {
  const rde = topology.regions[rdeCode] as RegionNode;
  const rda = topology.regions[rdaCode] as RegionNode;
  const producer = regionClient(rde);
  const doctor = regionClient(rda);
  const steps: ScenarioStep[] = [];
  const entryIn = (node: RegionNode, id: string) => node.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
  const step = async (title: string, run: () => Promise<string>) => {
    try {
      const detail = await run();
      steps.push({ title, ok: true, detail });
      print(`  ok   ${title}\n       ${detail}`);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      steps.push({ title, ok: false, detail });
      print(`  FAIL ${title}\n       ${detail}`);
      throw new StepFailed(detail);
    }
  };
  const run = `${Date.now().toString(36)}`;
  const first = producer.documentId(`DEMO-${run}-1`);
  const second = producer.documentId(`DEMO-${run}-2`);
  try {
    await step(`${rdeCode} publishes an LDO for ${DEMO_PATIENT} (assisted by ${rdaCode})`, async () => {
      const answer = await producer.publish(`DEMO-${run}-1`);
      if (answer.status !== 202) throw new Error(`the bridge answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return `202, workflowInstanceId ${String(answer.body.workflowInstanceId)}`;
    });
    await step(`INI's metadata message indexes it in ${rdaCode}'s registry`, async () => {
      const entry = await until(() => entryIn(rda, first), `${first} in ${rdaCode}`);
      return `${entry.uniqueId} ${entry.status}, bytes held by repository ${entry.repositoryUniqueId}`;
    });
    let hash = '';
    await step(`a doctor of ${rdaCode} finds it (ITI-18 FindDocuments)`, async () => {
      const found = await doctor.findDocuments();
      const entry = found.result.kind === 'LeafClass' ? found.result.documentEntries.find((e) => e.uniqueId === first) : undefined;
      if (found.status !== 'Success' || !entry) throw new Error(`${found.status}, ${JSON.stringify(found.errors)}`);
      hash = entry.hash ?? '';
      return `${found.status}, ${found.result.kind === 'LeafClass' ? found.result.documentEntries.length : 0} document(s)`;
    });
    await step(`and retrieves it from ${rdeCode}'s repository through INI (ITI-43)`, async () => {
      const got = await doctor.retrieve(first, producer.repositoryUniqueId);
      const [doc] = got.documents;
      if (got.status !== 'Success' || !doc) throw new Error(`${got.status}, ${JSON.stringify(got.errors)}`);
      const sha1 = createHash('sha1').update(doc.bytes).digest('hex');
      if (sha1 !== hash) throw new Error(`SHA-1 ${sha1} differs from the metadata's ${hash}`);
      return `${doc.bytes.length} bytes of ${doc.mimeType}, SHA-1 as in the metadata`;
    });
    await step(`${rdeCode} replaces it; ${rdaCode} follows (RPLC)`, async () => {
      const answer = await producer.replace(first, `DEMO-${run}-2`);
      if (answer.status !== 202) throw new Error(`the bridge answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      await until(async () => ((await entryIn(rda, first))?.status === 'Deprecated' ? true : undefined), `${first} deprecated in ${rdaCode}`);
      return `${first} Deprecated, ${second} ${(await entryIn(rda, second))?.status ?? 'missing'}`;
    });
    await step(`${rdeCode} deletes the new version; ${rdaCode} follows`, async () => {
      const answer = await producer.remove(second);
      if (answer.status !== 200) throw new Error(`the bridge answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      await until(async () => ((await entryIn(rda, second)) === undefined ? true : undefined), `${second} gone from ${rdaCode}`);
      // INI commits its delete once the RDA took it: a moment after the RDA's registry changes.
      await until(async () => (topology.ini.index.versionsOf(second).length === 0 ? true : undefined), `${second} gone from INI`);
      return `${second} removed from ${rdaCode}'s registry and from INI's index`;
    });
    await step('every access is in the verifiable access logs', async () => {
      const lines: string[] = [];
      for (const node of [rde, rda]) {
        const { audit } = node.app.resources().federation;
        const verified = await audit.verify();
        if (!verified.ok) throw new Error(`${node.code}'s chain is broken at ${JSON.stringify(verified.brokenAt)}`);
        const accesses = await audit.listByPatient(DEMO_PATIENT);
        lines.push(`${node.code}: chain of ${verified.checked} records verified; ${accesses.length} on the patient (${[...new Set(accesses.map((a) => `${a.direction} ${a.transaction}`))].join(', ')})`);
      }
      return lines.join('\n       ');
    });
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
  } finally {
    await producer.close();
    await doctor.close();
  }
  return steps;
}
