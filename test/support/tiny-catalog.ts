import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A minimal catalog in the it-fse-catalogs layout (`schema/`, `schematron/`, `terminology/`), written by the tests
 * themselves so compile and selection behaviour can be tested on a fresh clone, without the official catalog. It holds
 * one permissive XSD set (POCD_MT000040UV02, any ClinicalDocument content) and a tiny schematron for LDO and for LAB,
 * named with their types' stems so the catalog resolver picks them as it picks the official files.
 */
export const TINY_SCHEMATRON = { LDO: 'schematronFSE_LDO_v1.0.sch', LAB: 'schematronFSE_LAB_v1.0.sch' } as const;

const permissiveXsd = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:hl7-org:v3" elementFormDefault="qualified">
  <xs:element name="ClinicalDocument">
    <xs:complexType>
      <xs:sequence><xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:anyAttribute processContents="skip"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
`;

const schematron = (id: string, type: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="hl7" uri="urn:hl7-org:v3"/>
  <pattern>
    <rule context="/hl7:ClinicalDocument">
      <assert test="hl7:title">${id} | ${type}: <name/> DEVE contenere un title</assert>
    </rule>
  </pattern>
</schema>
`;

/** Writes the tiny catalog under `dir` and returns `dir`. */
export function writeTinyCatalog(dir: string): string {
  mkdirSync(path.join(dir, 'schema', 'POCD_MT000040UV02'), { recursive: true });
  mkdirSync(path.join(dir, 'schematron'), { recursive: true });
  mkdirSync(path.join(dir, 'terminology'), { recursive: true });
  writeFileSync(path.join(dir, 'schema', 'POCD_MT000040UV02', 'CDA.xsd'), permissiveXsd);
  writeFileSync(path.join(dir, 'schematron', TINY_SCHEMATRON.LDO), schematron('TINY-LDO-001', 'LDO'));
  writeFileSync(path.join(dir, 'schematron', TINY_SCHEMATRON.LAB), schematron('TINY-LAB-001', 'LAB'));
  return dir;
}
