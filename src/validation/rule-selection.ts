import { typeSchematron, type CatalogDescriptor } from '../catalog/catalog.js';
import { selectDocumentType } from '../catalog/document-types.js';
import { withXml, XmlInputError } from '../xml/xml-toolkit.js';
import { readCdaHeader } from './cda-header.js';

/**
 * The schematron files validating this CDA would run, chosen as the engine chooses them: the regional rules, then the
 * rules of its document type (by the first templateId root, else by code) and the common rules. A document that does
 * not parse runs none. Lets a one-off validation compile only what it needs (a cold official file costs 5-10 s).
 * See: Gateway API 7.3 (schematron selection).
 */
export function schematronFilesFor(catalog: CatalogDescriptor, cdaText: string): string[] {
  try {
    return withXml(cdaText, (doc) => {
      const selection = selectDocumentType(catalog.documentTypes, readCdaHeader(doc));
      return [...catalog.regionalSchematron, ...(typeSchematron(catalog, selection) ?? [])];
    });
  } catch (err) {
    if (err instanceof XmlInputError) return [];
    throw err;
  }
}
