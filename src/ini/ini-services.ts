/**
 * INI's services, as paths under its base URL (the test environment's layout). Each is configurable on its own,
 * since production URLs are not in the sources. The retrieve service is our assumption: the Gateway never retrieves,
 * so its sources name none. See: xds-ini digest 2.8, Appendix B item 1.
 */
export const INI_SERVICE_PATHS = {
  /** ITI-42 publish and replace; ITI-18 LeafClass reads and patient-scoped queries. */
  registry: '/FSEInteroperabilitaWeb/DocumentRegistry_Service',
  /** ITI-57 Update Document Set. */
  update: '/FSEMetadataUpdateWeb/DocumentRegistry_Service',
  /** INI's delete (RemoveObjectsRequest with DocumentEntry UUIDs). */
  delete: '/FSEDeleteWeb/XDSDeletetWSService',
  /** ITI-18 ObjectRef "recupero riferimento": entryUUIDs of a uniqueId. */
  references: '/FSEFindDocumentReferencesWeb/DocumentRegistry_Service',
  /** ITI-43 through INI to the region holding the document (assumption). */
  retrieve: '/FSERetrieveWeb/DocumentRepository_Service',
} as const;

export type IniService = keyof typeof INI_SERVICE_PATHS;

/** The URL of every service: the base URL plus the path, unless overridden. */
export function iniServiceUrls(baseUrl: string, overrides: Partial<Record<IniService, string>> = {}): Readonly<Record<IniService, string>> {
  const base = baseUrl.replace(/\/+$/, '');
  const urls = {} as Record<IniService, string>;
  for (const [service, path] of Object.entries(INI_SERVICE_PATHS) as [IniService, string][]) urls[service] = overrides[service] ?? `${base}${path}`;
  return urls;
}
