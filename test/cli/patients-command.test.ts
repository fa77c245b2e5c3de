import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { PatientId } from '../../src/domain/ids.js';
import { createAssistedPatientStore } from '../../src/stores/assisted-patient-store.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/test-database.js';

const PATIENT = 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO';

async function patients(args: string[], env: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    return { code: await main(['patients', ...args], { stdout: (s) => out.push(s), stderr: (s) => err.push(s) }), out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('fse-bridge patients', () => {
  let db: TestSchema;
  let env: Record<string, string>;
  before(async () => {
    db = await createTestSchema();
    env = { DATABASE_URL: TEST_DATABASE_URL, FSE_DB_SCHEMA: db.schema };
  });
  after(async () => db.drop());

  test('assign, list, release: the store follows, JSON lines out', async () => {
    const store = createAssistedPatientStore(db.pool);
    assert.equal((await patients(['assign', PATIENT], env)).code, 0);
    assert.equal(await store.isAssisted(PATIENT as PatientId), true);
    const listed = await patients(['list'], env);
    assert.equal((JSON.parse(listed.out[0] ?? '{}') as { patientId?: string; source?: string }).source, 'enrolment');
    assert.deepEqual((await patients(['release', PATIENT], env)).out, [JSON.stringify({ patientId: PATIENT, released: true })]);
    assert.equal(await store.isAssisted(PATIENT as PatientId), false);
  });

  test('a malformed patient id or a missing verb is a usage error', async () => {
    assert.equal((await patients(['assign', 'RSSMRA80A01H501U'], env)).code, 2);
    assert.equal((await patients([], env)).code, 2);
    assert.equal((await patients(['assign'], env)).code, 2);
  });
});
