import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { XmlElement } from 'libxml2-wasm';
import { PROJECT_ROOT } from '../config.js';
import { withXml } from '../xml/xml-toolkit.js';
import type { SoapEndpoint } from './soap-actions.js';

/**
 * Serves the team's WSDLs (`wsdl/`) at `<endpoint>?wsdl`, with the `soap12:address` set to this server's URL (edited
 * through the XML toolkit, never as text), and their schemas unchanged at `<endpoint's folder>/schema/<file>`, where
 * the WSDLs' relative `schemaLocation="schema/..."` resolve, so a client (the `soap` package, SoapUI, a .NET proxy
 * generator) loads everything from the running bridge. See: wsdl/README.md.
 */
export interface WsdlFiles {
  readonly dir: string;
  readonly wsdl: Readonly<Record<SoapEndpoint, string>>;
}

export const PROJECT_WSDL: WsdlFiles = {
  dir: path.join(PROJECT_ROOT, 'wsdl'),
  wsdl: { repository: 'XDS.b_DocumentRepository.wsdl', registry: 'XDS.b_DocumentRegistry.wsdl' },
};

const SCHEMA_NAME = /^[\w.-]+\.xsd$/;
const SOAP12_WSDL = 'http://schemas.xmlsoap.org/wsdl/soap12/';

/** The WSDL with its `soap12:address` pointed at `endpointUrl`. */
export function withAddress(xml: string, endpointUrl: string): string {
  return withXml(xml, (doc) => {
    for (const node of doc.find('//soap12:address', { soap12: SOAP12_WSDL })) {
      // Assign the existing attribute: setAttr would add a second one in the element's namespace.
      const location = (node as XmlElement).attr('location');
      if (location) location.value = endpointUrl;
    }
    return doc.toString();
  });
}

/** Where the schemas are served for an endpoint path: `/xds/registry` -> `/xds/schema/:name`. */
export function schemaRoute(endpointPath: string): string {
  return `${path.posix.dirname(endpointPath).replace(/\/$/, '')}/schema/:name`;
}

function endpointUrl(req: Request): string {
  const proto = 'encrypted' in req.socket ? 'https' : 'http';
  return `${proto}://${req.header('host') ?? 'localhost'}${req.path}`;
}

/** GET `<endpoint>?wsdl`; anything else is a 404 with a hint. */
export function serveWsdl(req: Request, res: Response, endpoint: SoapEndpoint, files: WsdlFiles): void {
  if (!('wsdl' in req.query)) {
    res.status(404).type('text/plain').end(`GET ${req.path}?wsdl for the WSDL; SOAP 1.2 requests are POSTed here`);
    return;
  }
  res.status(200).type('text/xml').end(withAddress(readFileSync(path.join(files.dir, files.wsdl[endpoint]), 'utf8'), endpointUrl(req)));
}

/** GET `<folder>/schema/:name`: one of the team's schemas, unchanged; a name outside the folder is a 404. */
export function serveSchema(req: Request, res: Response, files: WsdlFiles): void {
  const name = String(req.params.name ?? '');
  const file = path.join(files.dir, 'schema', name);
  if (!SCHEMA_NAME.test(name) || !existsSync(file)) {
    res.status(404).type('text/plain').end(`no schema ${name}`);
    return;
  }
  res.status(200).type('application/xml').end(readFileSync(file));
}
