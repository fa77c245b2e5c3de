import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { XmlElement, XmlNode } from 'libxml2-wasm';
import { withXml } from '../../../src/xml/xml-toolkit.js';

/**
 * A reader of the NIST toolkit's `testplan.xml` (no namespace): its steps, what each runs, the ids it takes from
 * earlier steps (`UseId`) and what it expects. Only the instructions the stored query replay needs are read.
 */

/** `<UseId testdir= id= symbol= step= section=>`: take an id assigned by an earlier step (AssignedUuids, ...). */
export interface UseId {
  readonly testdir: string;
  readonly id: string;
  readonly symbol: string;
  readonly step: string;
  readonly section: string;
}

/** One `ExpectedContents` child: `Documents count="5"`, `None`, `SSwithOneDocOneFol`, ... */
export interface ExpectedContent {
  readonly name: string;
  readonly count?: number;
}

export type StepKind = 'StoredQuery' | 'Register' | 'Provide' | 'Retrieve' | 'Null' | 'Other';

/** `<Document id=>file</Document>` of a Provide and Register: the symbolic id of its ExtrinsicObject, the file. */
export interface StepDocument {
  readonly id: string;
  readonly file: string;
}

/** `<UseReport reportName= section= step= useAs=>`: a value an earlier step reported (`<Report>`, or `<id>_uid`). */
export interface UseReport {
  readonly reportName: string;
  readonly section: string;
  readonly step: string;
  readonly useAs: string;
}

export interface TestStep {
  readonly id: string;
  readonly kind: StepKind;
  readonly expectedStatus?: string;
  readonly expectedErrorCodes: readonly string[];
  /** `ExpectedErrorMessage`: a text the toolkit looks for in the errors (code or message). */
  readonly expectedErrorMessages: readonly string[];
  /** Provide and Register: the documents, `<AssignUuids/>`, `<NoPatientId/>` (the metadata's own patient ids kept). */
  readonly documents: readonly StepDocument[];
  readonly assignUuids: boolean;
  readonly noPatientId: boolean;
  /** `<Report name=>xpath</Report>` over this step's response. */
  readonly reports: ReadonlyMap<string, string>;
  readonly useReports: readonly UseReport[];
  /** Retrieve: `<ReferenceDocument uid=symbol>path</ReferenceDocument>`, the path as written. */
  readonly referenceDocuments: readonly { readonly uid: string; readonly path: string }[];
  /** Absolute path of `MetadataFile`. */
  readonly metadataFile?: string;
  readonly useIds: readonly UseId[];
  readonly expectedContents: readonly ExpectedContent[];
  /** XPath assertions of a NullTransaction over this test's output (`DataRef file="THIS"`). */
  readonly assertions: readonly string[];
}

const isElement = (n: XmlNode): n is XmlElement => 'attr' in n;
const children = (el: XmlElement, xpath: string): XmlElement[] => el.find(xpath).filter(isElement);
const attr = (el: XmlElement, name: string): string => el.attr(name)?.value ?? '';
const text = (el: XmlElement, xpath: string): string | undefined => children(el, xpath)[0]?.content.trim();

const KIND: Readonly<Record<string, StepKind>> = {
  StoredQueryTransaction: 'StoredQuery', RegisterTransaction: 'Register', NullTransaction: 'Null',
  ProvideAndRegisterTransaction: 'Provide', RetrieveTransaction: 'Retrieve',
};

function readStep(step: XmlElement, dir: string): TestStep {
  const [transaction] = children(step, '*[contains(local-name(), "Transaction") or local-name() = "NewPatientId"]');
  const kind = transaction ? KIND[transaction.name] ?? 'Other' : 'Other';
  const metadata = transaction ? text(transaction, 'MetadataFile') : undefined;
  return {
    id: attr(step, 'id'),
    kind,
    expectedStatus: text(step, 'ExpectedStatus'),
    expectedErrorCodes: children(step, 'ExpectedErrorCode').map((e) => e.content.trim()),
    expectedErrorMessages: children(step, 'ExpectedErrorMessage').map((e) => e.content.trim()),
    documents: transaction ? children(transaction, 'Document').map((d) => ({ id: attr(d, 'id'), file: path.join(dir, d.content.trim()) })) : [],
    assignUuids: transaction ? children(transaction, 'AssignUuids').length > 0 : false,
    noPatientId: transaction ? children(transaction, 'NoPatientId').length > 0 : false,
    reports: new Map(transaction ? children(transaction, 'Report').map((r) => [attr(r, 'name'), r.content.trim()]) : []),
    useReports: transaction ? children(transaction, 'UseReport').map((u) => ({
      reportName: attr(u, 'reportName'), section: attr(u, 'section'), step: attr(u, 'step'), useAs: attr(u, 'useAs'),
    })) : [],
    referenceDocuments: transaction ? children(transaction, 'ReferenceDocument').map((r) => ({ uid: attr(r, 'uid'), path: r.content.trim() })) : [],
    metadataFile: metadata === undefined ? undefined : path.join(dir, metadata),
    useIds: transaction ? children(transaction, 'UseId').map((u) => ({
      testdir: attr(u, 'testdir'), id: attr(u, 'id'), symbol: attr(u, 'symbol'), step: attr(u, 'step'), section: attr(u, 'section'),
    })) : [],
    expectedContents: transaction ? children(transaction, 'ExpectedContents/*').map((c) => {
      const count = c.attr('count')?.value;
      return count === undefined ? { name: c.name } : { name: c.name, count: Number(count) };
    }) : [],
    assertions: transaction ? children(transaction, 'Assertions/Assert').map((a) => a.content.trim()) : [],
  };
}

/** The steps of the testplan of one section folder. */
export function readTestPlan(sectionDir: string): TestStep[] {
  return withXml(readFileSync(path.join(sectionDir, 'testplan.xml'), 'utf8'), (doc) =>
    children(doc.root, 'TestStep').map((step) => readStep(step, sectionDir)));
}
