import type { AuditLog } from '../audit/index.js';
import type { Logger } from '../logging/logger.js';
import type { JobCounts } from '../queue/queues.js';
import type { DeadLetter } from '../queue/dead-letter.js';
import type { ConsentStore } from '../stores/consent-store.js';
import type { ConsoleOverviewStore } from '../stores/console-overview-store.js';
import type { ConsoleSessionStore, SessionTimes } from '../stores/console-session-store.js';
import type { ExchangeStore } from '../stores/exchange-store.js';
import type { TraceFacts } from '../stores/journey-store.js';
import type { OperatorStore } from '../stores/operator-store.js';
import type { RelationStore } from '../stores/relation-store.js';
import type { OidcSignIn } from './oidc-sign-in.js';

/** What the console door uses: stores, the queue's operator side, and read-only views of the bridge's state. */
export interface ConsoleDeps {
  readonly logger: Logger;
  readonly version: string;
  /** The built pages (`dist/console`, written by `npm install`). */
  readonly assetsDir: string;
  readonly operators: OperatorStore;
  readonly sessions: ConsoleSessionStore;
  readonly times: SessionTimes;
  readonly audit: AuditLog;
  readonly exchanges: ExchangeStore;
  readonly overview: ConsoleOverviewStore;
  readonly traceFacts: (traceId: string, workflowInstanceId?: string) => Promise<TraceFacts>;
  readonly queue: {
    counts(): Promise<JobCounts>;
    listFailed(): Promise<DeadLetter[]>;
    retry(jobId: string): Promise<string[]>;
    discard(jobId: string): Promise<boolean>;
  };
  readonly health: () => Promise<{ gateway: { circuit: string }; ini: { configured: boolean }; parity: { agree: number; disagree: number } }>;
  readonly patients: {
    search(q: string | undefined, limit: number): Promise<{ patientId: string; source: string; since: Date }[]>;
    get(patientId: string): Promise<{ patientId: string; source: string; since: Date } | undefined>;
  };
  readonly consents: ConsentStore;
  readonly relations: RelationStore;
  /** LISTEN on a PostgreSQL channel; resolves to the function that stops listening. */
  readonly listen: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
  readonly oidc?: OidcSignIn;
  /** Reads the `file` part of a multipart upload under the bridge's size limit (the REST door's reader, passed in). */
  readonly readUpload: (req: import('node:http').IncomingMessage) => Promise<Uint8Array | undefined>;
  /** The validation pages' backend, when the bridge has one. */
  readonly validations?: ValidationPages;
}

export interface ValidationPages {
  list(limit: number, before?: number): Promise<unknown[]>;
  get(id: number): Promise<unknown | undefined>;
  /** Validates an uploaded CDA or PDF as the playground; resolves to the stored run. */
  explain(bytes: Uint8Array, operator: string): Promise<{ id: number }>;
}
