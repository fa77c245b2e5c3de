import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import type { AuditLog } from './audit/index.js';
import { consoleDoor } from './console/console-door.js';
import type { ConsoleDeps } from './console/console-deps.js';
import { createOidcSignIn } from './console/oidc-sign-in.js';
import { PROJECT_ROOT, type Config } from './config.js';
import type { CircuitState } from './gateway/from-config.js';
import type { Logger } from './logging/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { JobQueue } from './queue/queues.js';
import type { JobCatalogue } from './queue/job-catalogue.js';
import { explainValidation } from './operations/explain-validation.js';
import { readMultipart } from './rest/multipart.js';
import { createAssistedPatientStore } from './stores/assisted-patient-store.js';
import { createConsoleOverviewStore } from './stores/console-overview-store.js';
import { createConsoleSessionStore } from './stores/console-session-store.js';
import { createExchangeRecorder, type ExchangeRecorder } from './stores/exchange-recorder.js';
import { createExchangeStore } from './stores/exchange-store.js';
import { traceFacts } from './stores/journey-store.js';
import { createOperatorStore } from './stores/operator-store.js';
import { createPgConsentStore } from './stores/pg-consent-store.js';
import { listenOn } from './stores/pg-listen.js';
import { createPgRelationStore } from './stores/pg-relation-store.js';
import type { ValidationRunStore } from './stores/validation-run-store.js';
import type { CdaValidator } from './validation/validation-pool.js';

/** Where `npm install` builds the console's pages (scripts/build-console.mjs). */
export const CONSOLE_ASSETS_DIR = path.join(PROJECT_ROOT, 'dist', 'console');

export interface ConsoleParts {
  readonly pool: pg.Pool;
  readonly audit: AuditLog;
  readonly queue: JobQueue<JobCatalogue>;
  readonly gatewayCircuit: () => CircuitState;
  readonly iniConfigured: boolean;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly maxUploadBytes: number;
  /** The bridge's validator and the runs it keeps: the "validation explained" pages and the playground. */
  readonly validations: { readonly validator: CdaValidator; readonly runs: ValidationRunStore };
}

const VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The console door and the journal its pages read, over the bridge's pool, queue and access log. */
export async function composeConsole(config: Config, parts: ConsoleParts): Promise<{ door: ReturnType<typeof consoleDoor>; recorder: ExchangeRecorder }> {
  const { pool } = parts;
  const exchanges = createExchangeStore(pool);
  const recorder = createExchangeRecorder(exchanges, parts.logger);
  const times = { idleSeconds: config.console.idleSeconds, absoluteSeconds: config.console.absoluteSeconds };
  const parity = async () => {
    const values = (await parts.metrics.validationParity.get()).values;
    const count = (agreement: string) => values.filter((v) => v.labels.agreement === agreement).reduce((n, v) => n + v.value, 0);
    return { agree: count('agree'), disagree: values.reduce((n, v) => n + v.value, 0) - count('agree') };
  };
  const deps: ConsoleDeps = {
    logger: parts.logger, version: VERSION, assetsDir: CONSOLE_ASSETS_DIR,
    operators: createOperatorStore(pool), sessions: createConsoleSessionStore(pool, times), times, audit: parts.audit,
    exchanges, overview: createConsoleOverviewStore(pool), traceFacts: (trace, wid) => traceFacts(pool, trace, wid),
    queue: parts.queue,
    health: async () => ({ gateway: { circuit: parts.gatewayCircuit() }, ini: { configured: parts.iniConfigured }, parity: await parity() }),
    patients: createAssistedPatientStore(pool),
    consents: createPgConsentStore(pool), relations: createPgRelationStore(pool),
    listen: (channel, onPayload) => listenOn(pool, channel, onPayload),
    oidc: config.console.oidc ? await createOidcSignIn(config.console.oidc) : undefined,
    readUpload: async (req: IncomingMessage) => (await readMultipart(req, { maxBytes: parts.maxUploadBytes })).files.get('file'),
    validations: {
      list: (limit, before) => parts.validations.runs.list({ limit, before }),
      get: (id) => parts.validations.runs.get(id),
      explain: (bytes, operator) => explainValidation({ bytes, operator }, { ...parts.validations, maxBytes: parts.maxUploadBytes }),
    },
  };
  return { door: consoleDoor(deps), recorder };
}
