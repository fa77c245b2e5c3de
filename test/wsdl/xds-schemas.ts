import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  XmlBufferInputProvider,
  XmlDocument,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
  type XmlElement,
} from 'libxml2-wasm';
import { create } from 'xmlbuilder2';

/**
 * Compiles the project's own schemas (`wsdl/schema/`) with libxml2, the engine the bridge validates with. Imports
 * are served from memory by file URL, so compilation reads nothing but these files and never the network.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WSDL_DIR = path.join(ROOT, 'wsdl');
export const SCHEMA_DIR = path.join(WSDL_DIR, 'schema');
export const FIXTURES = path.join(ROOT, 'test', 'wsdl', 'fixtures');

export const XDS_NS = {
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  xds: 'urn:ihe:iti:xds-b:2007',
  rmd: 'urn:ihe:iti:rmd:2017',
  xop: 'http://www.w3.org/2004/08/xop/include',
  xs: 'http://www.w3.org/2001/XMLSchema',
  env: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
} as const;

export const schemaFiles = (): string[] => readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.xsd')).sort();
const schemaUrl = (file: string): string => pathToFileURL(path.join(SCHEMA_DIR, file)).href;

let provider: XmlBufferInputProvider | undefined;

function ensureProvider(): XmlBufferInputProvider {
  if (provider) return provider;
  const files: Record<string, Uint8Array> = {};
  for (const file of schemaFiles()) files[schemaUrl(file)] = readFileSync(path.join(SCHEMA_DIR, file));
  const candidate = new XmlBufferInputProvider(files);
  if (!xmlRegisterInputProvider(candidate)) throw new Error('libxml2 refused the schema input provider');
  provider = candidate;
  return candidate;
}

/** A compiled schema set; `validate` returns libxml2's messages, empty when valid. */
export interface SchemaSet {
  validate(target: XmlDocument | XmlElement): string[];
  dispose(): void;
}

/**
 * Compiles one file of `wsdl/schema/`, or, with no argument, a driver that imports every namespace (what a server
 * validating any XDS.b body element needs). Throws with libxml2's messages when the schemas do not compile.
 */
export function compileSchemas(file?: string): SchemaSet {
  ensureProvider();
  const source = file === undefined ? driverSchema() : readFileSync(path.join(SCHEMA_DIR, file));
  const doc = XmlDocument.fromBuffer(source, { url: schemaUrl(file ?? '_all-namespaces.xsd') });
  let validator: XsdValidator;
  try {
    validator = XsdValidator.fromDoc(doc);
  } catch (err) {
    doc.dispose();
    const details = err instanceof XmlValidateError ? err.details.map((d) => d.message.trim()).join('; ') : String(err);
    throw new Error(`cannot compile ${file ?? 'the driver schema'}: ${details}`, { cause: err });
  }
  return {
    validate(target) {
      try {
        // libxml2-wasm has one overload per argument type; the union is narrowed here.
        if (target instanceof XmlDocument) validator.validate(target);
        else validator.validate(target);
        return [];
      } catch (err) {
        if (err instanceof XmlValidateError) return err.details.map((d) => d.message.trim());
        throw err;
      }
    },
    dispose() {
      validator.dispose();
      doc.dispose();
    },
  };
}

/** A schema without a target namespace that only imports the message namespaces, next to the real files. */
function driverSchema(): Uint8Array {
  const schema = create({ version: '1.0', encoding: 'UTF-8' }).ele(XDS_NS.xs, 'xs:schema');
  for (const [ns, file] of [['query', 'query.xsd'], ['lcm', 'lcm.xsd'], ['xds', 'xds-b.xsd'], ['rmd', 'rmd.xsd']] as const) {
    schema.ele(XDS_NS.xs, 'xs:import', { namespace: XDS_NS[ns], schemaLocation: file });
  }
  return Buffer.from(schema.end(), 'utf8');
}
