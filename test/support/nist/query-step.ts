import { readFileSync } from 'node:fs';
import type { XmlDocument, XmlText } from 'libxml2-wasm';
import { emptyResult, type QueryReturnType, type StoredQueryRequest } from '../../../src/domain/stored-query.js';
import { decodeAdhocQueryRequest } from '../../../src/ebxml/adhoc-query-request.js';
import {
  decodeAdhocQueryResponse, encodeAdhocQueryResponseDocument, type AdhocQueryResponse, type DecodedAdhocQueryResponse,
} from '../../../src/ebxml/adhoc-query-response.js';
import { elements } from '../../../src/ebxml/rim-read.js';
import { isXdsError } from '../../../src/errors/xds-codes.js';
import { formatDtm } from '../../../src/metadata/dtm.js';
import { registryStoredQuery, type RegistryStoredQueryDeps } from '../../../src/operations/iti18-registry-stored-query.js';
import { withXml } from '../../../src/xml/xml-toolkit.js';
import { resolveUseId, type TestLogs } from './registry-loader.js';
import type { TestStep } from './testplan.js';

/**
 * One toolkit StoredQueryTransaction step, replayed through the bridge's ITI-18 path as the SOAP front door runs it:
 * the query.xml with the step's symbols substituted (as the toolkit's Linkage does), `decodeAdhocQueryRequest`,
 * `registryStoredQuery`, `encodeAdhocQueryResponse`, then `decodeAdhocQueryResponse` of what went on the wire. A
 * request that does not decode is answered, as the front door answers it, with a Failure carrying its XDS error.
 */
export interface StepOutcome {
  readonly responseXml: string;
  readonly response: DecodedAdhocQueryResponse;
}

/** The toolkit's `$now$` and `$lastyear$` (Hl7Date), as UTC DTM: the registry keeps its times in UTC. */
function timeSymbols(): Map<string, string> {
  const now = new Date();
  const lastYear = new Date(now);
  lastYear.setUTCFullYear(now.getUTCFullYear() - 1);
  return new Map([['$now$', formatDtm(now)], ['$lastyear$', formatDtm(lastYear)]]);
}

/** Replaces every symbol in the document's text nodes (query values are text; no symbol sits in an attribute). */
function substitute(doc: XmlDocument, symbols: ReadonlyMap<string, string>): void {
  for (const node of doc.find('//text()') as XmlText[]) {
    let content = node.content;
    for (const [symbol, value] of symbols) content = content.replaceAll(symbol, value);
    if (content !== node.content) node.content = content;
  }
  for (const node of doc.find('//@*')) {
    for (const symbol of symbols.keys()) {
      if (node.content.includes(symbol)) throw new Error(`symbol ${symbol} in an attribute: not supported by this replay`);
    }
  }
}

type Decoded = { readonly request: StoredQueryRequest } | { readonly failure: AdhocQueryResponse };

function decodeStep(doc: XmlDocument): Decoded {
  try {
    return { request: decodeAdhocQueryRequest(doc.root) };
  } catch (error) {
    if (!isXdsError(error)) throw error;
    const asked = elements(doc.root, 'query:ResponseOption')[0]?.attr('returnType')?.value;
    const returnType: QueryReturnType = asked === 'ObjectRef' ? 'ObjectRef' : 'LeafClass';
    return { failure: { status: 'Failure', errors: [error.toRegistryError()], result: emptyResult(returnType) } };
  }
}

/** Runs one substituted AdhocQueryRequest (its XML) and answers what went on the wire. */
export type QueryExecutor = (requestXml: string) => Promise<StepOutcome>;

/** Through the bridge's ITI-18 operation and codecs, in process, as the SOAP front door runs them. */
export const inProcess = (deps: RegistryStoredQueryDeps): QueryExecutor => async (requestXml) => {
  const decoded = withXml(requestXml, decodeStep);
  const response = 'failure' in decoded ? decoded.failure : await registryStoredQuery(decoded.request, deps);
  const responseXml = encodeAdhocQueryResponseDocument(response);
  return { responseXml, response: withXml(responseXml, (d) => decodeAdhocQueryResponse(d.root, response.result.kind)) };
};

/** The MetadataFile of a step with the toolkit's time symbols, the step's `UseId`s and `extra` substituted. */
export function substitutedRequest(step: TestStep, sectionDir: string, logs: TestLogs, extra: ReadonlyMap<string, string> = new Map()): string {
  if (step.metadataFile === undefined) throw new Error(`step ${step.id} has no MetadataFile`);
  const symbols = timeSymbols();
  for (const use of step.useIds) symbols.set(use.symbol, resolveUseId(logs, sectionDir, use));
  for (const [k, v] of extra) symbols.set(k, v);
  return withXml(readFileSync(step.metadataFile, 'utf8'), (doc) => {
    substitute(doc, symbols);
    return doc.root.toString();
  });
}

/** Runs a StoredQuery step of the section folder `sectionDir`. */
export function runQueryStep(step: TestStep, sectionDir: string, logs: TestLogs, execute: QueryExecutor, extra?: ReadonlyMap<string, string>): Promise<StepOutcome> {
  return execute(substitutedRequest(step, sectionDir, logs, extra));
}

/** A NullTransaction's XPath assertion over a response document: true when it holds. */
export function xpathHolds(responseXml: string, xpath: string): boolean {
  return withXml(responseXml, (doc) => doc.eval(xpath) === true);
}
