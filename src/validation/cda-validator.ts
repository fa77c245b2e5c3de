import { performance } from 'node:perf_hooks';
import type { XmlDocument } from 'libxml2-wasm';
import { typeSchematron, type CatalogDescriptor } from '../catalog/catalog.js';
import { selectDocumentType } from '../catalog/document-types.js';
import { parseXml, XmlInputError } from '../xml/xml-toolkit.js';
import { readCdaHeader } from './cda-header.js';
import type { Finding, ValidationReport, ValidationStage } from './findings.js';
import { loadSchematronRuns, type SchematronSetup } from './schematron/schematron-engines.js';
import { checkTerminology, loadTerminology } from './terminology.js';
import { loadXsdSchemas, validateXsd } from './xsd-validator.js';

/**
 * What a thread needs to build an engine: the catalog, its schematron files and the compiled SEF of those that run on
 * saxon-js. Plain data: it is the worker threads' `workerData`.
 */
export interface EngineSetup extends SchematronSetup {
  readonly catalog: CatalogDescriptor;
}

export interface ValidationEngine {
  /** Runs XSD, schematron and terminology on one CDA, stopping at the first failing stage as the Gateway does. */
  validate(cdaText: string): ValidationReport;
  /** Frees the compiled XSD now (the compiled schematron goes with the engine, at garbage collection). */
  dispose(): void;
}

/**
 * Builds a thread-confined engine: compiled XSD, compiled schematron (native or parsed SEFs) and terminology are
 * loaded once and reused (the performance notes: re-reading a SEF per call doubles the schematron cost).
 */
export async function createValidationEngine(setup: EngineSetup): Promise<ValidationEngine> {
  const { catalog } = setup;
  const schematron = await loadSchematronRuns(setup);
  const runFor = (file: string) => schematron.run(file);
  const xsd = catalog.schemaDir ? loadXsdSchemas(catalog.schemaDir) : undefined;
  const terminology = loadTerminology(catalog.terminologyDir);

  return {
    dispose: () => xsd?.dispose(),
    validate(cdaText) {
      const t0 = performance.now();
      let doc: XmlDocument;
      try {
        doc = parseXml(cdaText, 'cda.xml');
      } catch (err) {
        if (!(err instanceof XmlInputError)) throw err;
        const ms = performance.now() - t0;
        return report(undefined, 'syntax', [{ id: 'XML', severity: 'error', message: `ERROR: ${err.message}` }], [], [], {
          parseMs: ms, xsdMs: 0, schematronMs: 0, terminologyMs: 0, regionalMs: 0,
        });
      }
      try {
        const t1 = performance.now();
        const header = readCdaHeader(doc);
        const selection = selectDocumentType(catalog.documentTypes, header);
        const docType = selection.kind === 'found' ? selection.type.key : undefined;

        // saxon-js parses its own tree, only when a file runs on it: parsing is about a third of a saxon-js run.
        const input = schematron.input(doc, cdaText);
        const regional = catalog.regionalSchematron.flatMap((f) => runFor(f)(input));
        const regionalWarnings = regional.map((f): Finding => ({ ...f, severity: 'warning' }));
        const t2 = performance.now();

        const xsdErrors = xsd ? validateXsd(xsd, doc) : [];
        const t3 = performance.now();
        const timings = { parseMs: t1 - t0, regionalMs: t2 - t1, xsdMs: t3 - t2, schematronMs: 0, terminologyMs: 0 };
        if (xsdErrors.length > 0) return report(docType, 'syntax', xsdErrors, [], regionalWarnings, timings);

        const files = typeSchematron(catalog, selection);
        if (!files) {
          const root = selection.kind === 'unknown' ? selection.root ?? '' : selection.type.templateRoot;
          const notFound: Finding = {
            id: 'SCHEMATRON-NOT-FOUND', severity: 'error',
            message: `Schematron with template id root ${root} not found on database.`,
            location: '/ClinicalDocument/templateId[1]',
          };
          return report(docType, 'semantic', [notFound], [], regionalWarnings, timings);
        }
        const findings = files.flatMap((f) => runFor(f)(input));
        const t4 = performance.now();
        const errors = findings.filter((f) => f.severity === 'error');
        const warnings = findings.filter((f) => f.severity === 'warning');
        const withSch = { ...timings, schematronMs: t4 - t3 };
        if (errors.length > 0) return report(docType, 'semantic', errors, warnings, regionalWarnings, withSch);

        const vocabulary = checkTerminology(doc, terminology);
        const withVoc = { ...withSch, terminologyMs: performance.now() - t4 };
        if (vocabulary.length > 0) return report(docType, 'vocabulary', vocabulary, warnings, regionalWarnings, withVoc);
        return report(docType, undefined, [], warnings, regionalWarnings, withVoc);
      } finally {
        doc.dispose();
      }
    },
  };
}

function report(
  docType: string | undefined,
  failedStage: ValidationStage | undefined,
  errors: Finding[],
  warnings: Finding[],
  regionalWarnings: Finding[],
  timings: ValidationReport['timings'],
): ValidationReport {
  return { docType, valid: failedStage === undefined, failedStage, errors, warnings, regionalWarnings, timings };
}
