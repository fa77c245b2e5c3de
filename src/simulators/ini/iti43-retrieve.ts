import { statusFor } from '../../ebxml/registry-error-list.js';
import { decodeRetrieveRequest, encodeRetrieveResponse } from '../../ebxml/retrieve-document-set.js';
import type { DocumentRequest, RetrievedDocument } from '../../domain/retrieve.js';
import { registryError, type RegistryError } from '../../errors/xds-codes.js';
import type { MtomAttachment } from '../../soap-wire/mtom-builder.js';
import type { IniHandlerDeps } from './forward-writes.js';
import { relayAssertion, signTemplate } from './ini-assertions.js';
import { relayedErrors } from './ini-replies.js';
import type { IniHandler } from './ini-soap-router.js';
import { retrieveFromRegion } from './region-calls.js';
import { regionOfOid } from './region-directory.js';

/**
 * ITI-43 through INI: each DocumentRequest goes to the region its repositoryUniqueId names
 * (`2.16.840.1.113883.2.9.2.<REG>.4.5.<n>`), one call per region with INI's relay assertion, and the answers are
 * merged into one MTOM response. A region INI does not know answers `XDSUnknownRepositoryId` for its documents, one
 * it cannot reach `XDSRepositoryError`; some documents returned makes the whole PartialSuccess.
 * See: xds-ini digest 1.1, 1.4 E, 4.3, 9.
 */

interface RegionAnswer {
  readonly documents: readonly RetrievedDocument[];
  readonly errors: readonly RegistryError[];
}

const perDocument = (requests: readonly DocumentRequest[], make: (r: DocumentRequest) => RegistryError): RegionAnswer =>
  ({ documents: [], errors: requests.map(make) });

export function iti43Retrieve(deps: IniHandlerDeps): IniHandler {
  return async (call) => {
    const requests = decodeRetrieveRequest(call.envelope.body);
    const groups = new Map<string, DocumentRequest[]>();
    for (const r of requests) {
      const code = regionOfOid(r.repositoryUniqueId) ?? '';
      groups.set(code, [...(groups.get(code) ?? []), r]);
    }
    const assertion = signTemplate(relayAssertion(call.saml), deps.signer);
    const answers = await Promise.all([...groups].map(async ([code, group]): Promise<RegionAnswer> => {
      const region = code === '' ? undefined : deps.regions.region(code);
      if (!region) {
        return perDocument(group, (r) => registryError('XDSUnknownRepositoryId', `INI knows no repository ${r.repositoryUniqueId}`, r.documentUniqueId));
      }
      try {
        const answer = await retrieveFromRegion(deps.caller, region.repositoryUrl, group, assertion);
        return { documents: answer.documents, errors: relayedErrors(answer.errors) };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return perDocument(group, (r) => registryError('XDSRepositoryError', `the repository of region ${code} could not be reached: ${why}`, r.documentUniqueId));
      }
    }));
    const documents = answers.flatMap((a) => a.documents);
    const errors = answers.flatMap((a) => a.errors);
    const status = statusFor(errors, documents.length > 0);
    const attachments: MtomAttachment[] = [];
    // The body is written when the envelope is, before the MTOM package reads `attachments`.
    return { status, attachments, body: (parent) => void attachments.push(...encodeRetrieveResponse({ status, errors, documents }, parent, true)) };
  };
}
