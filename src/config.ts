import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The project root (where `mappings/` and `schematron/` live), independent of the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
  FSE_SEF_CACHE_DIR: z.string().default(path.join(PROJECT_ROOT, 'var', 'sef-cache')),
  FSE_TRUSTED_CA: z.string().optional(),
  FSE_DEV_PKI_DIR: z.string().default(path.join(PROJECT_ROOT, 'var', 'dev-pki')),
  FSE_JWT_AUDIENCE: csv.optional(),
  FSE_JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  FSE_ALLOW_SPECIAL_FISCAL_CODES: bool.default(false),
  FSE_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  FSE_VALIDATION_WORKERS: z.coerce.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism())),
  FSE_VALIDATION_TTL_DAYS: z.coerce.number().int().min(1).max(30).default(5),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Official catalog directory (it-fse-catalogs layout); undefined means the project's own rules. */
  readonly catalogDir?: string;
  readonly sefCacheDir: string;
  /** PEM bundle of JWT trust anchors; in dev mode it defaults to the generated development CA. */
  readonly trustedCaFile?: string;
  readonly devPkiDir: string;
  readonly jwtAudience?: readonly string[];
  readonly jwtClockSkewSeconds: number;
  readonly allowSpecialFiscalCodes: boolean;
  readonly maxUploadBytes: number;
  readonly validationWorkers: number;
  readonly validationTtlDays: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; throws {@link ConfigError} listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    catalogDir: e.FSE_CATALOG_DIR ? path.resolve(e.FSE_CATALOG_DIR) : undefined,
    sefCacheDir: path.resolve(e.FSE_SEF_CACHE_DIR),
    trustedCaFile: e.FSE_TRUSTED_CA ? path.resolve(e.FSE_TRUSTED_CA) : undefined,
    devPkiDir: path.resolve(e.FSE_DEV_PKI_DIR),
    jwtAudience: e.FSE_JWT_AUDIENCE ? Object.freeze([...e.FSE_JWT_AUDIENCE]) : undefined,
    jwtClockSkewSeconds: e.FSE_JWT_CLOCK_SKEW_SECONDS,
    allowSpecialFiscalCodes: e.FSE_ALLOW_SPECIAL_FISCAL_CODES,
    maxUploadBytes: e.FSE_MAX_UPLOAD_BYTES,
    validationWorkers: e.FSE_VALIDATION_WORKERS,
    validationTtlDays: e.FSE_VALIDATION_TTL_DAYS,
  });
}
