import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../src/config.js';
import { createPool } from '../../../src/db/pool.js';
import { until } from '../../../src/demo/until.js';
import { TEST_DATABASE_URL } from '../test-database.js';

/**
 * The IHE test bed as an operator runs it: `fse-bridge start --dev` (what `npm start` runs) in its own process with
 * `FSE_XDS_METADATA_PROFILE=ihe FSE_ACCESS_POLICY=mappings/access-policy-open.json INI_URL=none`, on a fresh schema
 * of the machine's PostgreSQL. The replayed testplans reach it over HTTP only, as the NIST toolkit would.
 */
export interface TestBed {
  readonly baseUrl: string;
  /** Its JSON log lines so far (stderr). */
  logs(): string;
  /** SIGINT, then the exit code. */
  stop(): Promise<number | null>;
}

export const TEST_BED_ENV = {
  FSE_XDS_METADATA_PROFILE: 'ihe', FSE_ACCESS_POLICY: 'mappings/access-policy-open.json', INI_URL: 'none',
} as const;

export async function startTestBed(): Promise<TestBed> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-nist-'));
  const schema = `nist_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string | undefined> = {
    ...process.env, ...TEST_BED_ENV, DATABASE_URL: TEST_DATABASE_URL, FSE_DB_SCHEMA: schema, FSE_QUEUE_PREFIX: schema.replace('_', '-'),
    PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', FSE_VALIDATION_WORKERS: '1', FSE_DEV_PKI_DIR: path.join(dir, 'dev-pki'),
    FSE_SEF_CACHE_DIR: path.join(PROJECT_ROOT, 'var', 'sef-cache'),
  };
  for (const name of ['GATEWAY_URL', 'FSE_TRUSTED_CA', 'FSE_SAML_TRUST', 'FSE_SOAP_SECURITY']) delete env[name];
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'fse-bridge.js'), 'start', '--dev'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let logs = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { logs += chunk.toString('utf8'); });
  const exited = once(child, 'exit');
  const dropSchema = async () => {
    const pool = createPool(TEST_DATABASE_URL);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    const [code] = await exited as [number | null];
    await dropSchema();
    return code;
  };
  try {
    await until(async () => (out.includes('XDS.b over SOAP') || child.exitCode !== null ? true : undefined), 'the test bed', 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const baseUrl = /FSE bridge ready on (http:\/\/localhost:\d+)/.exec(out)?.[1];
  if (!baseUrl) {
    await stop();
    throw new Error(`the test bed did not start:\n${out}\n${logs}`);
  }
  return { baseUrl: baseUrl.replace('localhost', '127.0.0.1'), logs: () => logs, stop };
}
