import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DecodedRetrieveResponse } from '../../../src/ebxml/retrieve-document-set.js';
import { substitutedRequest } from './query-step.js';
import type { TestLogs } from './registry-loader.js';
import { retrieveOverSoap } from './soap-executors.js';
import type { TestStep } from './testplan.js';

/**
 * A toolkit RetrieveTransaction as ITI-43: `UseId`s and `UseReport`s substituted (a report is looked up in the logs
 * of the named section of the same test), the answer checked against each `ReferenceDocument` (the same bytes) and
 * the `ReferenceMetadata` query (the mimeType the registry holds). `ReferenceDocument` paths are relative to the
 * section or, in some of the data, to the test folder: both are tried, section first. Returns what does not hold.
 */
export async function runRetrieveStep(step: TestStep, sectionDir: string, logs: TestLogs, baseUrl: string): Promise<{ response: DecodedRetrieveResponse; problems: string[] }> {
  const testDir = path.dirname(sectionDir);
  const reported = new Map<string, string>();
  for (const use of step.useReports) {
    const value = logs.get(path.join(testDir, use.section))?.get(use.step)?.reports?.get(use.reportName);
    if (value === undefined) throw new Error(`UseReport ${use.reportName}: not reported by ${use.section}/${use.step}`);
    reported.set(use.useAs, value);
  }
  const response = await retrieveOverSoap(baseUrl, substitutedRequest(step, sectionDir, logs, reported));
  const problems: string[] = [];
  const mimeTypes = new Map([...logs.values()].flatMap((section) => [...section.values()].flatMap((l) => [...(l.mimeTypes ?? new Map<string, string>())])));
  for (const reference of step.referenceDocuments) {
    const uid = reported.get(reference.uid) ?? reference.uid;
    const file = [path.resolve(sectionDir, reference.path), path.resolve(testDir, reference.path)].find((f) => existsSync(f));
    const got = response.documents.find((d) => d.documentUniqueId === uid);
    if (!got) { problems.push(`document ${uid} not returned`); continue; }
    if (!file) problems.push(`ReferenceDocument ${reference.path} not found`);
    else if (!Buffer.from(got.bytes).equals(readFileSync(file))) problems.push(`document ${uid}: bytes differ from ${reference.path}`);
    const expectedMime = mimeTypes.get(uid);
    if (expectedMime !== undefined && got.mimeType !== expectedMime) problems.push(`document ${uid}: mimeType ${got.mimeType}, registry says ${expectedMime}`);
  }
  return { response, problems };
}
