import assert from 'node:assert/strict';
import path from 'node:path';
import type { DecodedRegistryError } from '../../../src/ebxml/registry-error-list.js';
import { unmetExpectations } from './expected-contents.js';
import { runProvideStep } from './provide-step.js';
import { runQueryStep, xpathHolds, type QueryExecutor } from './query-step.js';
import { logStep, type TestLogs } from './registry-loader.js';
import { runRetrieveStep } from './retrieve-step.js';
import { withXml } from '../../../src/xml/xml-toolkit.js';
import { readTestPlan, type TestStep } from './testplan.js';

/**
 * Replays one section of a NIST testplan, step by step, with the toolkit's checks: ExpectedStatus, ExpectedErrorCode
 * (an error with that code), ExpectedErrorMessage (a code or message containing it), ExpectedContents, the XPath
 * assertions of a NullTransaction over the last response, and a Retrieve's reference documents. The first step
 * that does not hold throws a {@link StepFailure} carrying how many steps passed before it.
 */
export interface Tally {
  readonly steps: number;
  readonly passed: number;
}

export class StepFailure extends Error {
  constructor(message: string, readonly tally: Tally) {
    super(message);
  }
}

export interface ReplayContext {
  readonly testkit: string;
  readonly logs: TestLogs;
  readonly query: QueryExecutor;
  /** For Provide and Retrieve steps: the bridge, and the patient of the test. */
  readonly baseUrl?: string;
  readonly patientId?: string;
}

function checkStatus(step: TestStep, where: string, status: string, errors: readonly DecodedRegistryError[]): void {
  const listed = errors.map((e) => `${e.code}: ${e.codeContext}`);
  if (step.expectedStatus !== undefined) assert.equal(status, step.expectedStatus, `${where}: status (${listed.join('; ')})`);
  for (const code of step.expectedErrorCodes) assert.ok(errors.some((e) => e.code === code), `${where}: expected ${code}, got ${listed.join('; ')}`);
  for (const text of step.expectedErrorMessages) assert.ok(listed.some((e) => e.includes(text)), `${where}: expected an error with ${text}, got ${listed.join('; ')}`);
}

/** The value of each `<Report>` XPath over a response. */
const reportsOf = (step: TestStep, responseXml: string) =>
  new Map([...step.reports].map(([name, xpath]) => [name, withXml(responseXml, (doc) => String(doc.eval(`string(${xpath})`)))]));

async function runStep(step: TestStep, sectionDir: string, ctx: ReplayContext, last: { xml?: string }): Promise<void> {
  const where = `${path.relative(ctx.testkit, sectionDir)} step ${step.id}`;
  const bed = () => {
    if (ctx.baseUrl === undefined || ctx.patientId === undefined) throw new Error(`${where}: a ${step.kind} step needs a bridge`);
    return { baseUrl: ctx.baseUrl, patientId: ctx.patientId };
  };
  if (step.kind === 'StoredQuery') {
    const { response, responseXml } = await runQueryStep(step, sectionDir, ctx.logs, ctx.query);
    last.xml = responseXml;
    const mimeTypes = new Map(response.result.kind === 'LeafClass' ? response.result.documentEntries.map((e) => [e.uniqueId as string, e.mimeType]) : []);
    logStep(ctx.logs, sectionDir, step.id, { patientId: '', uuids: new Map(), uids: new Map(), reports: reportsOf(step, responseXml), mimeTypes });
    checkStatus(step, where, response.status, response.errors);
    assert.deepEqual(unmetExpectations(response.result, step.expectedContents), [], `${where}: ExpectedContents`);
  } else if (step.kind === 'Provide') {
    const { baseUrl, patientId } = bed();
    const response = await runProvideStep(step, sectionDir, ctx.logs, baseUrl, patientId);
    checkStatus(step, where, response.status, response.errors);
  } else if (step.kind === 'Retrieve') {
    const { response, problems } = await runRetrieveStep(step, sectionDir, ctx.logs, bed().baseUrl);
    checkStatus(step, where, response.status, response.errors);
    assert.deepEqual(problems, [], `${where}: ReferenceDocument`);
  } else if (step.kind === 'Null') {
    assert.ok(last.xml !== undefined, `${where}: no earlier response to assert on`);
    for (const xpath of step.assertions) assert.ok(xpathHolds(last.xml, xpath), `${where}: ${xpath}`);
  } else {
    assert.fail(`${where}: a ${step.kind} step is not replayed`);
  }
}

/** Replays every step of `sectionDir`; throws a StepFailure at the first that does not hold. */
export async function replaySection(sectionDir: string, ctx: ReplayContext): Promise<Tally> {
  const steps = readTestPlan(sectionDir);
  const last: { xml?: string } = {};
  let passed = 0;
  for (const step of steps) {
    try {
      await runStep(step, sectionDir, ctx, last);
    } catch (error) {
      throw new StepFailure((error as Error).message, { steps: steps.length, passed });
    }
    passed += 1;
  }
  return { steps: steps.length, passed };
}
