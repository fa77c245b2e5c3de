import type { AtnaRecorder } from '../atna/atna-recorder.js';
import type { AuditLog } from '../audit/index.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DeleteDocumentSetDeps } from '../operations/iti62-delete-document-set.js';
import type { ProvideAndRegisterDeps } from '../operations/iti41-provide-and-register.js';
import type { RegisterDocumentSetDeps } from '../operations/iti42-register-document-set.js';
import type { FederatedQueryDeps } from '../operations/iti18-federated-query.js';
import type { FederatedRetrieveDeps } from '../operations/iti43-federated-retrieve.js';
import type { IniMetadataDeps } from '../operations/ini-metadata.js';
import type { UpdateDocumentSetDeps } from '../operations/iti57-update-document-set.js';
import { iti18RegistryStoredQuery } from './iti18-registry-stored-query.js';
import { iti41ProvideAndRegister } from './iti41-provide-and-register.js';
import { iti42RegisterDocumentSet } from './iti42-register-document-set.js';
import { iti43RetrieveDocumentSet } from './iti43-retrieve-document-set.js';
import { iti57UpdateDocumentSet } from './iti57-update-document-set.js';
import { iti62DeleteDocumentSet } from './iti62-delete-document-set.js';
import { iti86RemoveDocuments } from './iti86-remove-documents.js';
import type { SoapEndpoint, SoapTransaction } from './soap-actions.js';
import type { SoapHandler } from './soap-router.js';
import type { SoapLimits } from '../soap-wire/soap-payload.js';
import type { SoapRouteDeps } from './soap-routes.js';
import type { SoapSecurityPolicy } from './soap-security.js';
import { PROJECT_WSDL } from './wsdl-files.js';

/**
 * Composes the SOAP front door: one handler per transaction, each given only the dependencies its operation uses
 * (STYLE rule 11), and the route deps of the express shim.
 */
export type SoapOperationDeps = ProvideAndRegisterDeps & RegisterDocumentSetDeps & FederatedQueryDeps & FederatedRetrieveDeps
  & UpdateDocumentSetDeps & DeleteDocumentSetDeps & IniMetadataDeps;

export function soapHandlers(deps: SoapOperationDeps): Readonly<Record<SoapTransaction, SoapHandler>> {
  return {
    iti18: iti18RegistryStoredQuery(deps),
    iti41: iti41ProvideAndRegister(deps),
    iti42: iti42RegisterDocumentSet(deps),
    iti43: iti43RetrieveDocumentSet(deps),
    iti57: iti57UpdateDocumentSet(deps),
    iti62: iti62DeleteDocumentSet(deps),
    iti86: iti86RemoveDocuments(deps),
  };
}

export interface SoapFrontDoorOptions {
  readonly paths: Readonly<Record<SoapEndpoint, string>>;
  readonly limits: SoapLimits;
  readonly security: SoapSecurityPolicy;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly audit?: AuditLog;
  readonly atna?: AtnaRecorder;
}

export function soapRouteDeps(deps: SoapOperationDeps, options: SoapFrontDoorOptions): SoapRouteDeps {
  return {
    router: { handlers: soapHandlers(deps), limits: options.limits, security: options.security, logger: options.logger, audit: options.audit, atna: options.atna },
    paths: options.paths, wsdl: PROJECT_WSDL, logger: options.logger, metrics: options.metrics,
  };
}
