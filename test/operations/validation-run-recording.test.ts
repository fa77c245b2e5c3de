import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runWithContext } from '../../src/logging/context.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { capturingValidator, recordFailedValidation, type CheckedCda } from '../../src/operations/validation-run-recording.ts';
import type { NewValidationRun, ValidationRunStore } from '../../src/stores/validation-run-store.ts';
import type { ValidationReport } from '../../src/validation/findings.ts';

const timings = { parseMs: 0, xsdMs: 0, schematronMs: 0, terminologyMs: 0, regionalMs: 0 };
const validReport: ValidationReport = {
  docType: 'LDO', valid: true, errors: [], regionalWarnings: [], timings,
  warnings: [{ id: 'W001', severity: 'warning', message: 'W001 | advice', location: '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}title[1]' }],
};
const cdaText = '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">\n  <title>t</title>\n</ClinicalDocument>\n';
const checked: CheckedCda = { cdaText, report: validReport };

/** A store that keeps what it is given, or refuses every insert. */
function store(fail = false): ValidationRunStore & { readonly recorded: NewValidationRun[] } {
  const recorded: NewValidationRun[] = [];
  return {
    recorded,
    async record(run) {
      if (fail) throw new Error('database down');
      recorded.push(run);
      return { id: recorded.length, at: new Date() };
    },
    list: () => Promise.resolve([]),
    get: () => Promise.resolve(undefined),
    purgeOlderThan: () => Promise.resolve(0),
  };
}

describe('recording a failed REST validation', () => {
  test('Gateway refusal of a locally valid CDA: one located-less finding with the problem type, plus the local findings on their lines', async () => {
    const runs = store();
    const json = { type: '/msg/semantic', title: 'Errore semantico.', detail: 'ERRORE-5 | manca qualcosa' };
    await runWithContext({ traceId: 'f'.repeat(32), spanId: '0'.repeat(16) }, () =>
      recordFailedValidation({ checked, gateway: { ok: false, status: 422, json } }, { runs, logger: silentLogger() }));
    assert.equal(runs.recorded.length, 1);
    const [run] = runs.recorded;
    assert.equal(run?.traceId, 'f'.repeat(32));
    assert.equal(run?.valid, false);
    assert.deepEqual(run?.findings.map((f) => [f.id, f.severity, f.line, f.location]), [
      ['W001', 'warning', 3, validReport.warnings[0]?.location],
      ['/msg/semantic', 'error', undefined, undefined],
    ]);
    assert.match(run?.findings[1]?.message ?? '', /^GTW nazionale: 422 ERRORE-5/);
  });

  test('a store that fails is logged and swallowed: the producer\'s answer never waits on it', async () => {
    const logger = silentLogger();
    const logged: string[] = [];
    logger.error = ((message: string) => {
      logged.push(message);
      return logger;
    }) as typeof logger.error;
    await recordFailedValidation({ checked, gateway: { ok: false, status: 500 } }, { runs: store(true), logger });
    assert.deepEqual(logged, ['validation run not recorded']);
  });

  test('the capturing validator hands back exactly what the real one saw and said', async () => {
    const capture = capturingValidator({ validate: () => Promise.resolve(validReport), close: () => Promise.resolve() });
    assert.equal(capture.last(), undefined);
    await capture.validator.validate(cdaText);
    assert.deepEqual(capture.last(), { cdaText, report: validReport });
  });
});
