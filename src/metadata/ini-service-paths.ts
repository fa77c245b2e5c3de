/**
 * INI's services, as paths under its base URL (the test environment's layout): part of INI's national contract, like
 * the SOAP actions of `vocabulary.ts`, so the region's INI client and the INI simulator read the same table. Each is
 * configurable on its own in the client, since production URLs are not in the sources. The retrieve path is **our
 * assumption**: the Gateway never retrieves, so its sources name none. See: xds-ini digest 2.8, Appendix B item 1.
 */
export const INI_SERVICE_PATHS = {
  /** ITI-42 publish and replace; ITI-18 LeafClass metadata reads and patient-scoped queries. */
  registry: '/FSEInteroperabilitaWeb/DocumentRegistry_Service',
  /** ITI-57 Update Document Set ("update v2"). */
  update: '/FSEMetadataUpdateWeb/DocumentRegistry_Service',
  /** INI's delete: RemoveObjectsRequest with DocumentEntry UUIDs, cascading the associations. */
  delete: '/FSEDeleteWeb/XDSDeletetWSService',
  /** ITI-18 ObjectRef "recupero riferimento": the entryUUIDs of a uniqueId. */
  references: '/FSEFindDocumentReferencesWeb/DocumentRegistry_Service',
  /** ITI-43 routed to the region holding the document (assumption, see above). */
  retrieve: '/FSERetrieveWeb/DocumentRepository_Service',
} as const;

/** One of INI's services. */
export type IniService = keyof typeof INI_SERVICE_PATHS;
