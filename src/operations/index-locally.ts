import type pg from 'pg';
import { parseUniqueId, type EntryUuid, type UniqueId } from '../domain/ids.js';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { buildSubmission } from '../metadata/build-submission.js';
import { readCdaMetadata } from '../metadata/cda-metadata.js';
import { metadataUpdate } from '../metadata/metadata-update.js';
import { extractCda } from '../pdf/cda-extractor.js';
import { sha1Hex } from '../pdf/hashes.js';
import {
  parsePublicationCreationBody, parsePublicationMetadataBody, parsePublicationUpdateBody, parseValidateAndCreateBody,
  parseValidateAndReplaceBody,
} from '../rest/publication-bodies.js';
import { registerWithDocuments } from '../stores/document-set-store.js';
import type { Operation } from '../stores/operation-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { DuplicateUniqueIdError } from '../stores/store-errors.js';
import { withXml } from '../xml/xml-toolkit.js';
import { applyRegistryAction } from './apply-registry-action.js';

export interface LocalIndexDeps {
  readonly pool: pg.Pool;
  readonly registry: RegistryStore;
}

export type IndexOutcome = 'indexed' | 'already' | 'not-applicable';

/**
 * Applies an operation the Gateway accepted (or could not be reached for) to the regional registry and repository:
 * the region keeps its own index, and indexes locally while the Gateway is down. Idempotent: a document already
 * registered is left as is, so a replayed or re-run job never indexes twice. See: Gateway API digest, 1.4.
 */
export async function indexLocally(op: Operation, deps: LocalIndexDeps, now = new Date()): Promise<IndexOutcome> {
  if (op.registryAction) return applyRegistryAction(op.registryAction, op.pdf, deps);
  switch (op.kind) {
    case 'create':
    case 'validate-and-create':
      return registerDocument(op, deps, undefined, now);
    case 'replace':
    case 'validate-and-replace': {
      const target = op.targetId ? await entryOf(deps, op.targetId) : undefined;
      if (!target) return 'not-applicable';
      return registerDocument(op, deps, target, now);
    }
    case 'delete': {
      const target = op.targetId ? await entryOf(deps, op.targetId) : undefined;
      if (!target) return 'already';
      await deps.registry.deleteDocumentEntries([target.entryUuid]);
      return 'indexed';
    }
    case 'metadata':
    case 'metadata-iti-57': {
      const target = op.targetId ? await entryOf(deps, op.targetId) : undefined;
      if (!target) return 'not-applicable';
      const request = parsePublicationMetadataBody(op.requestBody);
      await deps.registry.addVersion(metadataUpdate(target, request), target.version);
      return 'indexed';
    }
  }
}

async function entryOf(deps: LocalIndexDeps, id: string): Promise<DocumentEntry | undefined> {
  let uniqueId: UniqueId;
  try {
    uniqueId = parseUniqueId(id);
  } catch {
    return undefined;
  }
  const entry = await deps.registry.getDocumentEntry({ uniqueId });
  return entry?.status === 'Approved' ? entry : undefined;
}

const PARSERS = {
  'create': parsePublicationCreationBody,
  'validate-and-create': parseValidateAndCreateBody,
  'replace': parsePublicationUpdateBody,
  'validate-and-replace': parseValidateAndReplaceBody,
} as const;

/**
 * The XDS metadata of a publication-family REST operation, built as the Gateway builds it for INI (from the body, the
 * JWT claims and the CDA of the PDF); `replaces` is the entryUUID an RPLC points to. Undefined without a PDF.
 */
export async function publicationSubmissionOf(op: Operation, replaces: EntryUuid | undefined, now = new Date()): Promise<Submission | undefined> {
  if (!op.pdf) return undefined;
  if (op.registryAction?.kind === 'register') return op.registryAction.submission;
  const parse = PARSERS[op.kind as keyof typeof PARSERS];
  if (!parse) return undefined;
  const body = parse(op.requestBody);
  const extracted = await extractCda(op.pdf, body.mode);
  const cda = withXml(extracted.cdaText, readCdaMetadata);
  return buildSubmission({ body, claims: op.claims, cda, pdf: { sha1: sha1Hex(op.pdf), size: op.pdf.length }, now, replaces });
}

async function registerDocument(op: Operation, deps: LocalIndexDeps, replaced: DocumentEntry | undefined, now: Date): Promise<IndexOutcome> {
  const submission = await publicationSubmissionOf(op, replaced?.entryUuid, now);
  if (!submission || !op.pdf) return 'not-applicable';
  const withBytes = { ...submission, documents: submission.documents.map((d) => ({ ...d, bytes: op.pdf })) };
  try {
    await registerWithDocuments(deps.pool, withBytes);
    return 'indexed';
  } catch (err) {
    // Already indexed (a replay or a re-run job) only when this very document is there; any other duplicate
    // (a reused SubmissionSet uniqueId) is a real failure.
    const mine = submission.documents[0]?.entry.uniqueId;
    if (err instanceof DuplicateUniqueIdError && mine && (await deps.registry.getDocumentEntry({ uniqueId: mine }))) return 'already';
    throw err;
  }
}
