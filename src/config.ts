import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The project root (where `mappings/` and `schematron/` live), independent of the working directory: the nearest
 * directory above this module with a package.json, so the same code finds it from `src/`, from compiled JavaScript
 * and from the validation workers' bundle under `var/` (see worker-script.ts).
 */
export const PROJECT_ROOT = projectRootAbove(path.dirname(fileURLToPath(import.meta.url)));

export function projectRootAbove(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error(`no package.json above ${dir}: cannot find the project root`);
  }
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const csv = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/**
 * Every environment variable the bridge reads, validated once. This module is the only reader of `process.env`
 * (STYLE rule 10); the README's configuration table mirrors this schema.
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  FSE_CATALOG_DIR: z.string().optional(),
  FSE_ACCESS_POLICY: z.string().optional(),
  FSE_SEF_CACHE_DIR: z.string().default(path.join(PROJECT_ROOT, 'var', 'sef-cache')),
  FSE_SCHEMATRON_ENGINE: z.enum(['native', 'saxon']).default('native'),
  FSE_TRUSTED_CA: z.string().optional(),
  FSE_DEV_PKI_DIR: z.string().default(path.join(PROJECT_ROOT, 'var', 'dev-pki')),
  FSE_JWT_AUDIENCE: csv.optional(),
  FSE_JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  FSE_ALLOW_SPECIAL_FISCAL_CODES: bool.default(false),
  FSE_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  // One thread per core, measured: bench:validate --threads 1,2,3,4 on 2 cores, official catalog, mixed corpus, gave
  // 80.0 / 109.8 / 100.8 / 85.7 validations/s (regional.sch on saxon-js) and, without the regional rules, 216 / 332 /
  // 261 / 255; p99 was worst at 3 threads, and each thread adds 110-230 MB of RSS. See: docs/validation-pool.md.
  FSE_VALIDATION_WORKERS: z.coerce.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism())),
  FSE_VALIDATION_WORKER_HEAP_MB: z.coerce.number().int().min(32).optional(),
  FSE_VALIDATION_TTL_DAYS: z.coerce.number().int().min(1).max(30).default(5),
  DATABASE_URL: z.string().url().optional(),
  FSE_PG_DATA_DIR: z.string().default(path.join(PROJECT_ROOT, 'var', 'pgdata')),
  FSE_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  QUEUE_BACKEND: z.enum(['redis', 'postgres']).default('postgres'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  FSE_QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/).default('fse'),
  GATEWAY_URL: z.string().url().optional(),
  GATEWAY_TLS_CERT: z.string().optional(),
  GATEWAY_TLS_KEY: z.string().optional(),
  GATEWAY_TLS_CA: z.string().optional(),
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  GATEWAY_JWT_MODE: z.enum(['forward', 'region']).default('forward'),
  FSE_REGION_SIGN_CERT: z.string().optional(),
  FSE_REGION_SIGN_KEY: z.string().optional(),
  FSE_WORKERS_IN_PROCESS: bool.default(true),
  FSE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  FSE_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  FSE_DB_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).optional(),
  FSE_REGION_CODE: z.string().regex(/^\d{3}$/, 'a 3-digit organization code (120 = Lazio)').default('120'),
  FSE_REPOSITORY_UNIQUE_ID: z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, 'an OID').optional(),
  FSE_SOAP_REPOSITORY_PATH: z.string().regex(/^\/[\w/-]*$/).default('/xds/repository'),
  FSE_SOAP_REGISTRY_PATH: z.string().regex(/^\/[\w/-]*$/).default('/xds/registry'),
  // No schema default: it depends on the mode (see SECURE_DEFAULTS).
  FSE_SOAP_SECURITY: z.enum(['none', 'certificate', 'saml', 'saml-or-certificate']).optional(),
  FSE_SOAP_CLIENTS: z.string().optional(),
  FSE_SOAP_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  FSE_SOAP_MAX_PARTS: z.coerce.number().int().min(1).max(1000).default(64),
  FSE_SOAP_DEFAULT_APPLICATION: z.string().regex(/^[^^]+\^[^^]+\^[^^]+$/, 'id^vendor^version').default('FSEBRIDGE^FSE BRIDGE^0.1.0'),
  FSE_XDS_METADATA_PROFILE: z.enum(['italian', 'ihe']).default('italian'),
  FSE_XDS_PATIENT_DOMAINS: csv.optional(),
  FSE_QUERY_MAX_RESULTS: z.coerce.number().int().min(1).max(100_000).default(1000),
  FSE_QUERY_MAX_OBJECTREFS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  FSE_TLS_CERT: z.string().optional(),
  FSE_TLS_KEY: z.string().optional(),
  FSE_TLS_CLIENT_CA: z.string().optional(),
  FSE_REGION_LOCALITY: z.string().optional(),
  INI_URL: z.union([z.literal('none'), z.string().url()]).optional(),
  INI_REGISTRY_URL: z.string().url().optional(),
  INI_UPDATE_URL: z.string().url().optional(),
  INI_DELETE_URL: z.string().url().optional(),
  INI_REFERENCES_URL: z.string().url().optional(),
  INI_RETRIEVE_URL: z.string().url().optional(),
  INI_TLS_CERT: z.string().optional(),
  INI_TLS_KEY: z.string().optional(),
  INI_TLS_CA: z.string().optional(),
  INI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  INI_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  INI_QUERY_BUDGET_MS: z.coerce.number().int().min(100).max(120_000).default(3_000),
  INI_RECONCILE_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  FSE_SAML_SIGN_CERT: z.string().optional(),
  FSE_SAML_SIGN_KEY: z.string().optional(),
  FSE_SAML_TRUST: z.string().optional(),
  FSE_SAML_ISSUERS: csv.optional(),
  FSE_SAML_AUDIENCE: z.string().optional(),
  FSE_SAML_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  FSE_SAML_ALLOW_SHA1: bool.default(false),
  FSE_AUDIT_READERS: csv.default([]),
  FSE_AUDIT_ISSUERS: csv.optional(),
  // No schema default: empty in production, any issuer under `start --dev` (see SECURE_DEFAULTS).
  FSE_CITIZEN_ISSUERS: csv.optional(),
  FSE_RIGHTS_OPERATOR_ISSUERS: csv.optional(),
  // ATNA (docs/atna.md): unset, no audit messages are sent.
  ATNA_SYSLOG_URL: z.string().transform(syslogTarget).optional(),
  ATNA_TLS_CERT: z.string().optional(),
  ATNA_TLS_KEY: z.string().optional(),
  ATNA_TLS_CA: z.string().optional(),
  ATNA_QUEUE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  ATNA_AUDIT_SOURCE_ID: z.string().min(1).optional(),
  // The operator console (docs/console-api.md).
  FSE_CONSOLE: bool.default(true),
  FSE_CONSOLE_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  FSE_CONSOLE_SESSION_HOURS: z.coerce.number().int().min(1).max(72).default(8),
  FSE_CONSOLE_JOURNAL_BODY_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
  FSE_CONSOLE_OIDC_ISSUER: z.url().optional(),
  FSE_CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  FSE_CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  FSE_CONSOLE_OIDC_REDIRECT_URL: z.url().optional(),
  FSE_CONSOLE_OIDC_ROLE_CLAIM: z.string().min(1).default('roles'),
});

/** OpenID Connect sign-in needs the issuer, the client id and the redirect URL together, or none of them. */
function consoleOidc(e: z.infer<typeof EnvSchema>): Config['console']['oidc'] {
  const { FSE_CONSOLE_OIDC_ISSUER: issuer, FSE_CONSOLE_OIDC_CLIENT_ID: clientId, FSE_CONSOLE_OIDC_REDIRECT_URL: redirectUrl } = e;
  if (!issuer && !clientId && !redirectUrl) return undefined;
  if (!issuer || !clientId || !redirectUrl) {
    throw new ConfigError('FSE_CONSOLE_OIDC_ISSUER, FSE_CONSOLE_OIDC_CLIENT_ID and FSE_CONSOLE_OIDC_REDIRECT_URL go together: set all three or none');
  }
  return { issuer, clientId, clientSecret: e.FSE_CONSOLE_OIDC_CLIENT_SECRET, redirectUrl, roleClaim: e.FSE_CONSOLE_OIDC_ROLE_CLAIM };
}

const resolved = (file: string | undefined): string | undefined => (file ? path.resolve(file) : undefined);

/** `tls://host:port` (RFC 5425) or `udp://host:port` (RFC 5426). */
function syslogTarget(value: string, ctx: z.RefinementCtx): { transport: 'tls' | 'udp'; host: string; port: number } {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const transport = url?.protocol === 'tls:' ? 'tls' : url?.protocol === 'udp:' ? 'udp' : undefined;
  if (!url || !transport || !url.hostname || !url.port || url.pathname !== '') {
    ctx.addIssue({ code: 'custom', message: 'expected tls://host:port or udp://host:port' });
    return z.NEVER;
  }
  return { transport, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
}

/**
 * Production defaults that `start --dev` relaxes when the environment sets nothing, and to what. Production is secure
 * by default: a SOAP caller must prove who it is (a verified SAML assertion or a registered TLS client certificate).
 * See: xds-ini digest 2.6, 7.6.
 */
export const SECURE_DEFAULTS = {
  FSE_SOAP_SECURITY: { production: 'saml-or-certificate', dev: 'none' },
  /** Who may call the citizen API and the rights operators' API: nobody until the region names its systems. */
  FSE_CITIZEN_ISSUERS: { production: '', dev: '*' },
  FSE_RIGHTS_OPERATOR_ISSUERS: { production: '', dev: '*' },
} as const satisfies Record<string, { production: string; dev: string }>;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** `start --dev`: the {@link SECURE_DEFAULTS} the environment leaves unset take their development value. */
  readonly dev?: boolean;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Official catalog directory (it-fse-catalogs layout); undefined means the project's own rules. */
  readonly catalogDir?: string;
  /** The region's access policy file (default `mappings/access-policy.json`). See: docs/privacy.md. */
  readonly accessPolicyFile?: string;
  readonly sefCacheDir: string;
  /** `native` (rules compiled to JavaScript, saxon-js for the files it cannot evaluate exactly) or `saxon` (the reference engine). */
  readonly schematronEngine: 'native' | 'saxon';
  /** PEM bundle of JWT trust anchors; in dev mode it defaults to the generated development CA. */
  readonly trustedCaFile?: string;
  readonly devPkiDir: string;
  readonly jwtAudience?: readonly string[];
  readonly jwtClockSkewSeconds: number;
  readonly allowSpecialFiscalCodes: boolean;
  readonly maxUploadBytes: number;
  readonly validationWorkers: number;
  /**
   * V8 old-generation limit per validation worker, MB. Default 192 under the native engine: measured with
   * bench:validate (two workers, regional.sch on saxon-js), 128 or 192 MB bound the peak RSS at 625-629 MB against
   * 890 MB unbounded at the same throughput, 64 MB cost 17 %. None under saxon: its 22 official SEFs need about
   * 600 MB per thread.
   */
  readonly validationWorkerHeapMb?: number;
  readonly validationTtlDays: number;
  /** External PostgreSQL; undefined means an embedded server in `pgDataDir` on `pgPort`. */
  readonly databaseUrl?: string;
  readonly pgDataDir: string;
  readonly pgPort: number;
  readonly queueBackend: 'redis' | 'postgres';
  readonly redisUrl: string;
  /** Prefix of every queue name, so several bridges (or tests) can share one Redis or database. */
  readonly queuePrefix: string;
  /** National Gateway base URL including `/v1`; undefined means the in-process simulator. */
  readonly gatewayUrl?: string;
  /** TLS client certificate, key and CA bundle for the Gateway (the region's authentication certificate). */
  readonly gatewayTls?: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string };
  readonly gatewayTimeoutMs: number;
  /** `forward`: certificate case 1, producers' JWTs unchanged; `region`: case 2, the region signs its own JWTs. */
  readonly gatewayJwtMode: 'forward' | 'region';
  readonly regionSigner?: { readonly certFile: string; readonly keyFile: string };
  /** Run queue workers inside `start` (the default); false when `fse-bridge worker` processes run them. */
  readonly workersInProcess: boolean;
  readonly workerConcurrency: number;
  /** Lock of a running job: after a worker crash its jobs run again elsewhere within about this time. */
  readonly jobLockMs: number;
  /** PostgreSQL schema for the bridge's tables (isolates several bridges or test runs in one database). */
  readonly dbSchema?: string;
  /** The region the bridge serves: organization code, and the uniqueId of its repository. */
  readonly region: { readonly code: string; readonly repositoryUniqueId: string };
  readonly soap: {
    readonly repositoryPath: string;
    readonly registryPath: string;
    /**
     * `none`: identity optional; `certificate`: a mapped TLS client certificate is required and no SAML assertion is
     * accepted; `saml`: a verified SAML assertion is required; `saml-or-certificate` (default): either.
     */
    readonly security: 'none' | 'certificate' | 'saml' | 'saml-or-certificate';
    /** JSON file mapping TLS client certificate fingerprints to caller identities. */
    readonly clientsFile?: string;
    readonly maxBytes: number;
    readonly maxParts: number;
    /** `id^vendor^version` of the producing application when neither caller nor metadata names one. */
    readonly defaultApplication: string;
    /** `italian`: IHE rules plus the Affinity Domain's value sets; `ihe`: IHE rules only. */
    readonly metadataProfile: 'italian' | 'ihe';
    /** The affinity domain's patient id assigning authorities (OIDs); undefined: any. */
    readonly patientDomains?: readonly string[];
    readonly maxLeafClassResults: number;
    readonly maxObjectRefResults: number;
  };
  /** HTTPS for the bridge's own endpoints, with optional client-certificate authentication (`clientCaFile`). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly clientCaFile?: string };
  /** XON of the region's facility, for SAML `environment:locality` when the operator's own identity has none. */
  readonly regionLocality?: string;
  /** `INI_URL=none`: no federation at all, not even `start --dev`'s INI simulator (a test bed of the regional registry). */
  readonly iniOff: boolean;
  /** INI: base URL (and per-service overrides), TLS client certificate, deadlines. Undefined: no federation. */
  readonly ini?: {
    readonly url: string;
    readonly services: Readonly<Partial<Record<'registry' | 'update' | 'delete' | 'references' | 'retrieve', string>>>;
    readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string };
    readonly timeoutMs: number;
    readonly retries: number;
    readonly queryBudgetMs: number;
    /** Delay before checking the Gateway's INI step of an accepted publication. */
    readonly reconcileDelayMs: number;
  };
  readonly saml: {
    /** Signs the region's assertions; default the region's signature certificate. */
    readonly signer?: { readonly certFile: string; readonly keyFile: string };
    /**
     * JSON file binding each pinned signer certificate to the Issuers it may sign for (`loadSamlTrustFile`); required
     * when SAML is accepted. Unset (only with `none` or `certificate`): assertions are not verified.
     */
    readonly trustFile?: string;
    readonly issuers?: readonly string[];
    readonly audience?: string;
    readonly clockSkewSeconds: number;
    readonly allowSha1: boolean;
  };
  readonly audit: { readonly readers: readonly string[]; readonly issuers?: readonly string[] };
  /** The operator console; `oidc` when the region's identity provider signs operators in. */
  readonly console: {
    readonly enabled: boolean;
    readonly idleSeconds: number;
    readonly absoluteSeconds: number;
    readonly journalBodyBytes: number;
    readonly oidc?: { readonly issuer: string; readonly clientId: string; readonly clientSecret?: string; readonly redirectUrl: string; readonly roleClaim: string };
  };
  /**
   * Token issuers (`auth:<CN>`) of the citizen API (the region's portal) and of the rights operators' API (its
   * consent desk); `*` accepts any token chaining to FSE_TRUSTED_CA. Empty (the default): the API refuses every call.
   */
  readonly rights: { readonly citizenIssuers: readonly string[]; readonly operatorIssuers: readonly string[] };
  /** ATNA audit messages to a syslog receiver; undefined when ATNA_SYSLOG_URL is unset. See: docs/atna.md. */
  readonly atna?: {
    readonly target: { readonly transport: 'tls' | 'udp'; readonly host: string; readonly port: number };
    readonly tls?: { readonly certFile?: string; readonly keyFile?: string; readonly caFile?: string };
    readonly queueMax: number;
    /** AuditSourceID; default the region code. */
    readonly auditSourceId: string;
  };
  /** The {@link SECURE_DEFAULTS} this configuration relaxed (`start --dev`, nothing set): `NAME=value` each. */
  readonly relaxedDefaults: readonly string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const issuersOf = (value: string): string[] => value.split(',').filter((v) => v !== '');

/**
 * Reads and validates the environment once; throws {@link ConfigError} listing every invalid variable. With
 * `{ dev: true }` (`start --dev` only) the unset {@link SECURE_DEFAULTS} take their development values.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const mode = options.dev ? 'dev' : 'production';
  const security = e.FSE_SOAP_SECURITY ?? SECURE_DEFAULTS.FSE_SOAP_SECURITY[mode];
  const relaxedDefaults = mode === 'dev'
    ? (Object.keys(SECURE_DEFAULTS) as (keyof typeof SECURE_DEFAULTS)[]).filter((name) => e[name] === undefined).map((name) => `${name}=${SECURE_DEFAULTS[name].dev}`)
    : [];
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    catalogDir: e.FSE_CATALOG_DIR ? path.resolve(e.FSE_CATALOG_DIR) : undefined,
    accessPolicyFile: e.FSE_ACCESS_POLICY ? path.resolve(e.FSE_ACCESS_POLICY) : undefined,
    sefCacheDir: path.resolve(e.FSE_SEF_CACHE_DIR),
    schematronEngine: e.FSE_SCHEMATRON_ENGINE,
    trustedCaFile: e.FSE_TRUSTED_CA ? path.resolve(e.FSE_TRUSTED_CA) : undefined,
    devPkiDir: path.resolve(e.FSE_DEV_PKI_DIR),
    jwtAudience: e.FSE_JWT_AUDIENCE ? Object.freeze([...e.FSE_JWT_AUDIENCE]) : undefined,
    jwtClockSkewSeconds: e.FSE_JWT_CLOCK_SKEW_SECONDS,
    allowSpecialFiscalCodes: e.FSE_ALLOW_SPECIAL_FISCAL_CODES,
    maxUploadBytes: e.FSE_MAX_UPLOAD_BYTES,
    validationWorkers: e.FSE_VALIDATION_WORKERS,
    validationWorkerHeapMb: e.FSE_VALIDATION_WORKER_HEAP_MB ?? (e.FSE_SCHEMATRON_ENGINE === 'native' ? 192 : undefined),
    validationTtlDays: e.FSE_VALIDATION_TTL_DAYS,
    databaseUrl: e.DATABASE_URL,
    pgDataDir: path.resolve(e.FSE_PG_DATA_DIR),
    pgPort: e.FSE_PG_PORT,
    queueBackend: e.QUEUE_BACKEND,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.FSE_QUEUE_PREFIX,
    gatewayUrl: e.GATEWAY_URL,
    gatewayTls: e.GATEWAY_TLS_CERT && e.GATEWAY_TLS_KEY
      ? { certFile: path.resolve(e.GATEWAY_TLS_CERT), keyFile: path.resolve(e.GATEWAY_TLS_KEY), caFile: e.GATEWAY_TLS_CA ? path.resolve(e.GATEWAY_TLS_CA) : undefined }
      : undefined,
    gatewayTimeoutMs: e.GATEWAY_TIMEOUT_MS,
    gatewayJwtMode: e.GATEWAY_JWT_MODE,
    regionSigner: e.FSE_REGION_SIGN_CERT && e.FSE_REGION_SIGN_KEY
      ? { certFile: path.resolve(e.FSE_REGION_SIGN_CERT), keyFile: path.resolve(e.FSE_REGION_SIGN_KEY) }
      : undefined,
    workersInProcess: e.FSE_WORKERS_IN_PROCESS,
    workerConcurrency: e.FSE_WORKER_CONCURRENCY,
    jobLockMs: e.FSE_JOB_LOCK_MS,
    dbSchema: e.FSE_DB_SCHEMA,
    region: {
      code: e.FSE_REGION_CODE,
      // The repository OID drops the code's leading zeros (010 -> 10). See: xds-ini digest 6.1, 10 item 17.
      repositoryUniqueId: e.FSE_REPOSITORY_UNIQUE_ID ?? `2.16.840.1.113883.2.9.2.${Number(e.FSE_REGION_CODE)}.4.5.1`,
    },
    soap: {
      repositoryPath: e.FSE_SOAP_REPOSITORY_PATH,
      registryPath: e.FSE_SOAP_REGISTRY_PATH,
      security,
      clientsFile: e.FSE_SOAP_CLIENTS ? path.resolve(e.FSE_SOAP_CLIENTS) : undefined,
      maxBytes: e.FSE_SOAP_MAX_BYTES,
      maxParts: e.FSE_SOAP_MAX_PARTS,
      defaultApplication: e.FSE_SOAP_DEFAULT_APPLICATION,
      metadataProfile: e.FSE_XDS_METADATA_PROFILE,
      patientDomains: e.FSE_XDS_PATIENT_DOMAINS ? Object.freeze([...e.FSE_XDS_PATIENT_DOMAINS]) : undefined,
      maxLeafClassResults: e.FSE_QUERY_MAX_RESULTS,
      maxObjectRefResults: e.FSE_QUERY_MAX_OBJECTREFS,
    },
    regionLocality: e.FSE_REGION_LOCALITY,
    iniOff: e.INI_URL === 'none',
    ini: e.INI_URL && e.INI_URL !== 'none' ? {
      url: e.INI_URL,
      services: Object.fromEntries(Object.entries({
        registry: e.INI_REGISTRY_URL, update: e.INI_UPDATE_URL, delete: e.INI_DELETE_URL, references: e.INI_REFERENCES_URL, retrieve: e.INI_RETRIEVE_URL,
      }).filter(([, v]) => v !== undefined)),
      tls: e.INI_TLS_CERT && e.INI_TLS_KEY
        ? { certFile: path.resolve(e.INI_TLS_CERT), keyFile: path.resolve(e.INI_TLS_KEY), caFile: e.INI_TLS_CA ? path.resolve(e.INI_TLS_CA) : undefined }
        : undefined,
      timeoutMs: e.INI_TIMEOUT_MS, retries: e.INI_RETRIES, queryBudgetMs: e.INI_QUERY_BUDGET_MS, reconcileDelayMs: e.INI_RECONCILE_DELAY_MS,
    } : undefined,
    saml: {
      signer: e.FSE_SAML_SIGN_CERT && e.FSE_SAML_SIGN_KEY ? { certFile: path.resolve(e.FSE_SAML_SIGN_CERT), keyFile: path.resolve(e.FSE_SAML_SIGN_KEY) } : undefined,
      trustFile: e.FSE_SAML_TRUST ? path.resolve(e.FSE_SAML_TRUST) : undefined,
      issuers: e.FSE_SAML_ISSUERS ? Object.freeze([...e.FSE_SAML_ISSUERS]) : undefined,
      audience: e.FSE_SAML_AUDIENCE,
      clockSkewSeconds: e.FSE_SAML_CLOCK_SKEW_SECONDS,
      allowSha1: e.FSE_SAML_ALLOW_SHA1,
    },
    console: {
      enabled: e.FSE_CONSOLE, idleSeconds: e.FSE_CONSOLE_IDLE_MINUTES * 60, absoluteSeconds: e.FSE_CONSOLE_SESSION_HOURS * 3600,
      journalBodyBytes: e.FSE_CONSOLE_JOURNAL_BODY_BYTES, oidc: consoleOidc(e),
    },
    audit: { readers: Object.freeze([...e.FSE_AUDIT_READERS]), issuers: e.FSE_AUDIT_ISSUERS ? Object.freeze([...e.FSE_AUDIT_ISSUERS]) : undefined },
    rights: {
      citizenIssuers: Object.freeze(e.FSE_CITIZEN_ISSUERS ?? issuersOf(SECURE_DEFAULTS.FSE_CITIZEN_ISSUERS[mode])),
      operatorIssuers: Object.freeze(e.FSE_RIGHTS_OPERATOR_ISSUERS ?? issuersOf(SECURE_DEFAULTS.FSE_RIGHTS_OPERATOR_ISSUERS[mode])),
    },
    relaxedDefaults: Object.freeze(relaxedDefaults),
    atna: e.ATNA_SYSLOG_URL && {
      target: e.ATNA_SYSLOG_URL,
      tls: e.ATNA_SYSLOG_URL.transport === 'tls'
        ? { certFile: resolved(e.ATNA_TLS_CERT), keyFile: resolved(e.ATNA_TLS_KEY), caFile: resolved(e.ATNA_TLS_CA) }
        : undefined,
      queueMax: e.ATNA_QUEUE_MAX,
      auditSourceId: e.ATNA_AUDIT_SOURCE_ID ?? `FSE-BRIDGE-${e.FSE_REGION_CODE}`,
    },
    tls: e.FSE_TLS_CERT && e.FSE_TLS_KEY
      ? { certFile: path.resolve(e.FSE_TLS_CERT), keyFile: path.resolve(e.FSE_TLS_KEY), clientCaFile: e.FSE_TLS_CLIENT_CA ? path.resolve(e.FSE_TLS_CLIENT_CA) : undefined }
      : undefined,
  });
}
