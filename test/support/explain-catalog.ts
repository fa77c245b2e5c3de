import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TINY_SCHEMATRON, writeTinyCatalog } from './tiny-catalog.js';

/**
 * The tiny catalog with rules that point deep into the sample CDA, for the "validation explained" tests: an element
 * rule on the patient's birthTime, an attribute rule on the author's telecom/@value, and an XSD that checks `title`
 * (no attribute allowed). Every other element is accepted, so each test breaks exactly what it asserts on.
 */
export const EXPLAIN_RULES = { birthTime: 'EXPL-001', telecom: 'EXPL-002' } as const;

const xsd = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:hl7-org:v3" elementFormDefault="qualified">
  <xs:element name="ClinicalDocument">
    <xs:complexType>
      <xs:sequence><xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:anyAttribute processContents="skip"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="title" type="xs:string"/>
</xs:schema>
`;

const schematron = `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="hl7" uri="urn:hl7-org:v3"/>
  <pattern>
    <rule context="/hl7:ClinicalDocument/hl7:recordTarget/hl7:patientRole/hl7:patient/hl7:birthTime">
      <assert test="string-length(@value) = 8">${EXPLAIN_RULES.birthTime} | birthTime DEVE avere 8 cifre</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="hl7:author/hl7:assignedAuthor/hl7:telecom/@value">
      <assert test="starts-with(., 'tel:')">${EXPLAIN_RULES.telecom} | il telecom dell'autore DEVE essere un numero di telefono</assert>
    </rule>
  </pattern>
</schema>
`;

/** Writes the catalog under `dir` and returns `dir`. */
export function writeExplainCatalog(dir: string): string {
  writeTinyCatalog(dir);
  writeFileSync(path.join(dir, 'schema', 'POCD_MT000040UV02', 'CDA.xsd'), xsd);
  writeFileSync(path.join(dir, 'schematron', TINY_SCHEMATRON.LDO), schematron);
  return dir;
}

/** The 1-based line of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in the text: ${needle}`);
  return text.slice(0, at).split('\n').length;
}
