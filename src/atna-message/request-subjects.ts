import type { XmlElement, XmlNode } from 'libxml2-wasm';
import { EBXML_NS } from '../ebxml/rim-read.js';
import { SUBMISSION_SET } from '../metadata/vocabulary.js';
import { NS } from '../xml/xml-toolkit.js';
import type { AuditedTransaction, TransactionFacts } from './transaction-events.js';

/**
 * What an audit message names of the request itself, read from its body while the request document is alive: the
 * SubmissionSet uniqueId and patient (ITI-41/42/57); the stored query and its AdhocQueryRequest, serialised from the
 * received tree without reformatting, the namespaces in scope declared (ITI-18); the documents asked for (ITI-43,
 * ITI-86); the entryUUIDs removed (ITI-62). Read with XPath on the decoded tree (the body already passed the
 * envelope checks; a value that is not there is simply not named).
 * See: ITI TF-2 3.18.5.1, 3.41.5.1, 3.42.5.1, 3.43.6, 3.57.6, 3.62.6, 3.86.6.
 */
export type RequestSubjects = Pick<TransactionFacts, 'patientId' | 'submissionSetUniqueId' | 'documents' | 'objectIds' | 'query'>;

const NSMAP = { ...EBXML_NS, xdsb: NS.xdsb };

const valueOf = (node: XmlNode | null): string | undefined => {
  if (node === null) return undefined;
  const text = node.content.trim();
  return text === '' ? undefined : text;
};

function externalIdentifier(body: XmlElement, scheme: string): string | undefined {
  return valueOf(body.get(`.//rim:RegistryPackage/rim:ExternalIdentifier[@identificationScheme='${scheme}']/@value`, NSMAP));
}

/** DocumentRequests of ITI-43 and of ITI-86 (whose RemoveDocumentsRequest carries the same xds-b elements). */
function documentRequests(body: XmlElement): RequestSubjects['documents'] {
  return body.find('.//xdsb:DocumentRequest', NSMAP).map((req) => ({
    uniqueId: valueOf(req.get('xdsb:DocumentUniqueId', NSMAP)) ?? '',
    repositoryUniqueId: valueOf(req.get('xdsb:RepositoryUniqueId', NSMAP)),
    homeCommunityId: valueOf(req.get('xdsb:HomeCommunityId', NSMAP)),
  })).filter((d) => d.uniqueId !== '');
}

export function requestSubjects(transaction: AuditedTransaction, body: XmlElement): RequestSubjects {
  switch (transaction) {
    case 'ITI-41':
    case 'ITI-42':
    case 'ITI-57':
      return {
        submissionSetUniqueId: externalIdentifier(body, SUBMISSION_SET.uniqueId),
        patientId: externalIdentifier(body, SUBMISSION_SET.patientId),
      };
    case 'ITI-18': {
      const query = body.get('rim:AdhocQuery', NSMAP) as XmlElement | null;
      return {
        query: {
          id: valueOf(query?.get('@id') ?? null) ?? '',
          request: Buffer.from(body.toString({ format: false }), 'utf8'),
          homeCommunityId: valueOf(query?.get('@home') ?? null),
        },
      };
    }
    case 'ITI-43':
    case 'ITI-86':
      return { documents: documentRequests(body) };
    case 'ITI-62':
      return { objectIds: body.find('.//rim:ObjectRef/@id', NSMAP).map((n) => n.content.trim()).filter(Boolean) };
  }
}
