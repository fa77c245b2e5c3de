import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  XmlDocument,
  XmlValidateError,
  XmlXPath,
  XsdValidator,
  xmlRegisterInputProvider,
  type ErrorDetail,
} from 'libxml2-wasm';
import { NS } from '../xml/xml-toolkit.js';
import type { Finding } from './findings.js';

/**
 * XSD stage of the Gateway's validator: one compiled schema set per CDA `typeId/@extension`.
 * See: Gateway API digest, 7.1 (step 1, SYNTAX_ERROR) and 7.2 (XSD selection).
 *
 * Compiled schemas live in the WebAssembly memory of the thread that loaded them: load once per worker thread,
 * validate many documents, and call {@link XsdSchemas.dispose} when the thread stops.
 */
export class XsdSchemas {
  readonly #validators: Map<string, { validator: XsdValidator; schemaDoc: XmlDocument }>;
  #disposed = false;

  /** @internal Use {@link loadXsdSchemas}. */
  constructor(validators: Map<string, { validator: XsdValidator; schemaDoc: XmlDocument }>) {
    this.#validators = validators;
  }

  /** The `typeId/@extension` values this set can validate (the schema folder names). */
  get versions(): readonly string[] {
    return [...this.#validators.keys()];
  }

  /** The compiled validator for a `typeId/@extension`, or undefined when no such schema set was loaded. */
  get(version: string): XsdValidator | undefined {
    if (this.#disposed) throw new Error('XsdSchemas used after dispose()');
    return this.#validators.get(version)?.validator;
  }

  /** Frees the compiled schemas and their root documents; idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const { validator, schemaDoc } of this.#validators.values()) {
      validator.dispose();
      schemaDoc.dispose();
    }
    this.#validators.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** The entry point of each schema set, as in the catalog. See: Gateway API digest, 7.2. */
const ROOT_SCHEMA = 'CDA.xsd';

/**
 * Compiles `<schemaDir>/<version>/CDA.xsd` for every subfolder; the folder name is the CDA `typeId/@extension`.
 * Throws if a schema set does not compile: a broken catalog must stop the boot, not fail every document later.
 */
export function loadXsdSchemas(schemaDir: string): XsdSchemas {
  const validators = new Map<string, { validator: XsdValidator; schemaDoc: XmlDocument }>();
  try {
    for (const entry of readdirSync(schemaDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.resolve(schemaDir, entry.name);
      validators.set(entry.name, compileSchemaSet(dir));
    }
  } catch (err) {
    new XsdSchemas(validators).dispose();
    throw err;
  }
  return new XsdSchemas(validators);
}

function compileSchemaSet(dir: string): { validator: XsdValidator; schemaDoc: XmlDocument } {
  const rootFile = path.join(dir, ROOT_SCHEMA);
  ensureProvider();
  const schemaDoc = XmlDocument.fromBuffer(readFileSync(rootFile), { url: rootFile });
  activeSchemaDir = dir;
  try {
    // The schema document stays alive as long as the validator: libxml2 may keep pointers into it.
    return { validator: XsdValidator.fromDoc(schemaDoc), schemaDoc };
  } catch (err) {
    schemaDoc.dispose();
    const details = err instanceof XmlValidateError ? `: ${err.details.map((d) => d.message.trim()).join('; ')}` : '';
    throw new Error(`Cannot compile XSD ${rootFile}${details}`, { cause: err });
  } finally {
    activeSchemaDir = undefined;
  }
}

/*
 * Include resolution. The catalog's CDA.xsd includes `./coreschemas/<X>.xsd` but ships the files flat, so every path
 * with a `coreschemas` segment is mapped to the sibling file (See: performance notes, XSD). The provider answers only
 * while one of our schema sets compiles (compilation is synchronous and libxml2 state is per thread), and then it
 * claims every resource: files inside the schema folder are served, anything else (other folders, http:, ftp:) is
 * refused, so a schema can never reach the network or the rest of the disk.
 */
let activeSchemaDir: string | undefined;
const openFiles = new Map<number, { bytes: Uint8Array; pos: number }>();
let nextFd = 1;
let providerRegistered = false;

function ensureProvider(): void {
  if (providerRegistered) return;
  providerRegistered = xmlRegisterInputProvider({
    match: () => activeSchemaDir !== undefined,
    open: (filename) => {
      const file = activeSchemaDir === undefined ? undefined : resolveInside(activeSchemaDir, filename);
      if (file === undefined) return undefined;
      const fd = nextFd++;
      openFiles.set(fd, { bytes: readFileSync(file), pos: 0 });
      return fd;
    },
    read: (fd, buf) => {
      const open = openFiles.get(fd);
      if (!open) return -1;
      const n = Math.min(buf.byteLength, open.bytes.byteLength - open.pos);
      buf.set(open.bytes.subarray(open.pos, open.pos + n));
      open.pos += n;
      return n;
    },
    close: (fd) => openFiles.delete(fd),
  });
  if (!providerRegistered) throw new Error('libxml2 refused the XSD include provider (callback table full)');
}

/** Maps an include URL to a file inside `dir`, dropping `coreschemas` segments; undefined when outside or missing. */
function resolveInside(dir: string, filename: string): string | undefined {
  let file: string;
  if (filename.startsWith('file:')) file = fileURLToPath(filename);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filename)) return undefined;
  else file = filename;
  const segments = path.resolve(dir, file).split(path.sep).filter((s) => s !== 'coreschemas');
  const mapped = segments.join(path.sep) || path.sep;
  const rel = path.relative(dir, mapped);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  try {
    return statSync(mapped).isFile() ? mapped : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Validates a parsed CDA against the schema set named by its first `typeId/@extension`.
 * Returns an empty array when valid. Findings mirror the Gateway's `<SEVERITY>: <line>,<col> <message>` items.
 * See: Gateway API digest, 7.2.
 */
export function validateXsd(schemas: XsdSchemas, doc: XmlDocument): Finding[] {
  const version = firstTypeIdExtension(doc);
  const validator = schemas.get(version);
  if (!validator) {
    return [{ id: 'XSD', severity: 'error', message: `Schema with version ${version} not found on database.` }];
  }
  try {
    validator.validate(doc);
    return [];
  } catch (err) {
    if (err instanceof XmlValidateError && err.details.length > 0) return err.details.map(toFinding);
    // Mirrors the Gateway's answer for an internal failure of the XSD engine. See: Gateway API digest, 7.2.
    return [{ id: 'XSD', severity: 'error', message: 'Error while executing validation on xsd schema' }];
  }
}

/**
 * The Gateway takes the first `typeId` in document order (it uses a CSS-like `typeId` selector). Compiled once per
 * thread: compiling it per document cost 195 us of an LDO's XSD stage, evaluating it compiled 12 us (measured).
 */
const FIRST_TYPE_ID = XmlXPath.compile('string((//hl7:typeId)[1]/@extension)', { hl7: NS.hl7 });

function firstTypeIdExtension(doc: XmlDocument): string {
  const value = doc.eval(FIRST_TYPE_ID);
  return typeof value === 'string' ? value : '';
}

function toFinding(detail: ErrorDetail): Finding {
  // libxml2 levels: 1 warning, 2 error, 3 fatal — the same three severities as the Java SAX error handler.
  const label = detail.level === 1 ? 'WARNING' : detail.level === 3 ? 'FATAL' : 'ERROR';
  const finding: Finding = {
    id: 'XSD',
    severity: detail.level === 1 ? 'warning' : 'error',
    message: `${label}: ${detail.line},${detail.col} ${detail.message.trim()}`,
  };
  return detail.xpath ? { ...finding, location: detail.xpath } : finding;
}
