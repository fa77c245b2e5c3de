import type { EntryUuid } from '../../domain/ids.js';
import { createSoapCaller, type SoapCaller } from '../../soap-wire/soap-client.js';
import type { SignatureClaims } from '../../jwt/claims.js';
import type { RequestContext } from '../../logging/context.js';
import type { Logger } from '../../logging/logger.js';
import { buildSubmission } from '../../metadata/build-submission.js';
import { readCdaMetadata } from '../../metadata/cda-metadata.js';
import { metadataUpdateSubmission } from '../../metadata/metadata-update.js';
import { extractCda } from '../../pdf/cda-extractor.js';
import { sha1Hex } from '../../pdf/hashes.js';
import type { SamlSigner } from '../../saml/saml-signer.js';
import { withXml } from '../../xml/xml-toolkit.js';
import { gatewayAssertion } from './ini-leg-assertions.js';
import { iniLegCalls, type IniOutcome } from './ini-leg-calls.js';
import { metadataRequestOf, publicationRequestOf } from './publication-body.js';
import { addEvent, type Caller, type SimState, type StatusEvent } from './sim-state.js';

/**
 * The simulated Gateway's INI leg: after the 202/200 answer, in the background, it calls INI as the real Gateway does
 * and records the outcome as status events. Publication: ITI-42 built by `buildSubmission` (`SEND_TO_INI`);
 * replacement: GetDocuments ObjectRef of the old uniqueId, then ITI-42 with RPLC to `uuid[0]` (`SEND_TO_INI`);
 * metadata update: GetDocuments LeafClass, merge, ITI-57 (`RIFERIMENTI_INI`, `INI_UPDATE`); delete: GetDocuments
 * ObjectRef, INI delete of every UUID (`RIFERIMENTI_INI`, `INI_DELETE`). The real Gateway calls INI synchronously for
 * delete and update (Gateway API digest 8.1); here every INI call is after the answer, so the producer never waits
 * for INI. The `iniFailure` switch fakes the two reconciliation cases: `blocking` (not sent) and
 * `timeout-after-indexing` (sent and indexed, but recorded as a timeout). See: xds-ini digest 4.2, 4.4-4.7, 7.3.
 */

/** How the INI leg fails on purpose. */
export type IniFailureMode = 'none' | 'blocking' | 'timeout-after-indexing';

/** The `ini` option of the Gateway simulator. */
export interface GatewayIniOptions {
  /** INI's base URL; the services are at the digest 2.8 paths under it. */
  readonly url: string;
  /** The Gateway's SAML signature key and certificate. */
  readonly signer: SamlSigner;
  /** A SOAP caller to share (not closed by `stop`); by default one of its own. */
  readonly caller?: SoapCaller;
  /** Deadline of each INI call of its own caller; default 10 s. */
  readonly timeoutMs?: number;
}

/** What every job carries: the call it comes from and the document it is about. */
export interface IniJob {
  readonly ctx: RequestContext;
  readonly caller: Caller;
  readonly claims: SignatureClaims;
  readonly workflowInstanceId: string;
  readonly documentId: string;
  readonly tipoAttivita?: string;
}

export interface PublishJob extends IniJob {
  readonly rawBody: string;
  readonly pdf: Uint8Array;
  /** The uniqueId of the document being replaced. */
  readonly replaces?: string;
}

export interface IniLeg {
  publish(job: PublishJob): void;
  update(job: IniJob & { readonly json: string }): void;
  remove(job: IniJob): void;
  /** Resolves when every INI call started so far has recorded its events. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const INI_BLOCKING_MESSAGE = 'Errore simulato: messaggio non inviato a INI';
export const INI_TIMEOUT_MESSAGE = 'Timeout nella comunicazione con INI: nessuna risposta ricevuta';

const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createIniLeg(options: GatewayIniOptions, state: SimState, mode: () => IniFailureMode, logger: Logger): IniLeg {
  const ownCaller = options.caller ? undefined : createSoapCaller({ timeoutMs: options.timeoutMs ?? 10_000 });
  const calls = iniLegCalls(options.caller ?? (ownCaller as SoapCaller), options.url);
  const running = new Set<Promise<void>>();
  const write = (claims: SignatureClaims) => gatewayAssertion(claims, 'write', options.signer);
  const read = (claims: SignatureClaims) => gatewayAssertion(claims, 'read', options.signer);

  const event = (job: IniJob, eventType: string, eventStatus: StatusEvent['eventStatus'], message?: string) =>
    addEvent(state, job.ctx, job.caller, {
      eventType, eventStatus, workflowInstanceId: job.workflowInstanceId, identificativoDocumento: job.documentId,
      ...(job.tipoAttivita === undefined ? {} : { tipoAttivita: job.tipoAttivita }), ...(message === undefined ? {} : { message }),
    });
  /** The final event of an INI write, as the switch wants it. */
  const outcome = (job: IniJob, eventType: string, failure: IniFailureMode, result: IniOutcome) => {
    if (!result.ok) event(job, eventType, 'BLOCKING_ERROR', result.message);
    else if (failure === 'timeout-after-indexing') event(job, eventType, 'BLOCKING_ERROR', INI_TIMEOUT_MESSAGE);
    else event(job, eventType, 'SUCCESS');
  };
  /** Runs `task` after the current answer is written; `blocking` records the final event instead. */
  const schedule = (job: IniJob, eventType: string, task: (failure: IniFailureMode) => Promise<void>) => {
    const failure = mode();
    const run = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (failure === 'blocking') return event(job, eventType, 'BLOCKING_ERROR', INI_BLOCKING_MESSAGE);
      try {
        await task(failure);
      } catch (err) {
        logger.warn('gateway simulator: INI leg failed', { error: why(err) });
        event(job, eventType, 'BLOCKING_ERROR', why(err));
      }
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
  };

  /** The entryUUIDs INI has for a uniqueId, or the RIFERIMENTI_INI-style message why not. */
  const references = async (job: IniJob, uniqueId: string): Promise<{ uuids: EntryUuid[] } | { message: string }> => {
    const found = await calls.getDocuments(uniqueId, 'ObjectRef', read(job.claims));
    if (!found.ok) return { message: found.message };
    const uuids = found.result.kind === 'ObjectRef' ? [...found.result.refs] : found.result.documentEntries.map((e) => e.entryUuid);
    return uuids.length === 0 ? { message: `IniException: nessun documento con uniqueId ${uniqueId} su INI` } : { uuids };
  };

  return {
    publish(job) {
      schedule(job, 'SEND_TO_INI', async (failure) => {
        let replaces: EntryUuid | undefined;
        if (job.replaces !== undefined) {
          const refs = await references(job, job.replaces);
          if ('message' in refs) return event(job, 'SEND_TO_INI', 'BLOCKING_ERROR', refs.message);
          replaces = refs.uuids[0];
        }
        const body = publicationRequestOf(job.rawBody, job.replaces === undefined ? 'create' : 'replace');
        const extracted = await extractCda(job.pdf, body.mode);
        const cda = withXml(extracted.cdaText, readCdaMetadata);
        const submission = buildSubmission({
          body, claims: job.claims, cda, pdf: { sha1: sha1Hex(job.pdf), size: job.pdf.length }, now: new Date(), replaces,
        });
        outcome(job, 'SEND_TO_INI', failure, await calls.register(submission, write(job.claims)));
      });
    },
    update(job) {
      schedule(job, 'INI_UPDATE', async (failure) => {
        const found = await calls.getDocuments(job.documentId, 'LeafClass', read(job.claims));
        const entries = found.ok && found.result.kind === 'LeafClass' ? found.result.documentEntries : [];
        const current = entries.find((e) => e.status === 'Approved');
        if (!current) {
          return event(job, 'RIFERIMENTI_INI', 'BLOCKING_ERROR', found.ok ? `IniException: nessun documento con uniqueId ${job.documentId} su INI` : found.message);
        }
        const submission = metadataUpdateSubmission({ current, request: metadataRequestOf(job.json), claims: job.claims, now: new Date() });
        event(job, 'RIFERIMENTI_INI', 'SUCCESS', 'Merge metadati effettuato correttamente');
        outcome(job, 'INI_UPDATE', failure, await calls.update(submission, write(job.claims)));
      });
    },
    remove(job) {
      schedule(job, 'INI_DELETE', async (failure) => {
        const refs = await references(job, job.documentId);
        if ('message' in refs) return event(job, 'RIFERIMENTI_INI', 'BLOCKING_ERROR', refs.message);
        event(job, 'RIFERIMENTI_INI', 'SUCCESS', `Riferimenti trovati: [${refs.uuids.join(', ')}]`);
        outcome(job, 'INI_DELETE', failure, await calls.remove(refs.uuids, write(job.claims)));
      });
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close() {
      await this.settled();
      await ownCaller?.close();
    },
  };
}
