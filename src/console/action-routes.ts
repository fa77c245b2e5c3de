import type { Express } from 'express';
import type { AuditRecord } from '../audit/index.js';
import { FseError } from '../errors/fse-error.js';
import { recordAction } from './console-audit.js';
import type { ConsoleDeps } from './console-deps.js';
import { guard } from './console-guard.js';
import { intParam, json, param, problem, safely } from './console-http.js';

const CSV_COLUMNS = ['id', 'recordedAt', 'direction', 'transaction', 'counterpart', 'subjectId', 'subjectRole', 'organizationId',
  'purposeOfUse', 'patientId', 'documentIds', 'outcome', 'errorCodes', 'traceId', 'hash'] as const;

/** RFC 4180 field; a leading =, +, - or @ is quoted with an apostrophe so a spreadsheet never runs it (OWASP CSV injection). */
function csvField(value: unknown): string {
  let text = Array.isArray(value) ? value.join(' ') : value instanceof Date ? value.toISOString() : String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The console's actions: dead letters, the access log's verification and export, the validation playground. */
export function mountActionRoutes(app: Express, deps: ConsoleDeps): void {
  const as = (role: 'viewer' | 'operator' | 'admin', fn: Parameters<typeof guard>[2]) => safely(deps.logger, guard(deps.sessions, role, fn));

  app.get('/console/api/dead-letters', as('viewer', async (_req, res) => {
    const items = (await deps.queue.listFailed()).map((d) => ({
      jobId: d.jobId, name: d.name, failedAt: d.failedAt, attemptsMade: d.attemptsMade, unrecoverable: d.unrecoverable,
      error: { name: d.error.name, message: d.error.message }, traceId: d.correlation.traceId, payload: d.payload,
    }));
    json(res, { items });
  }));

  app.post('/console/api/dead-letters/:jobId/retry', as('operator', async (req, res, session) => {
    const jobId = String(req.params.jobId);
    const retried = await deps.queue.retry(jobId);
    await recordAction(deps.audit, deps.logger, { action: 'dead-letter-retry', who: session.operator, outcome: retried.length ? 'Success' : 'Failure', documentIds: [jobId] });
    if (retried.length === 0) return problem(res, 404, 'No such dead letter', jobId);
    json(res, { retried });
  }));

  app.delete('/console/api/dead-letters/:jobId', as('admin', async (req, res, session) => {
    const jobId = String(req.params.jobId);
    const removed = await deps.queue.discard(jobId);
    await recordAction(deps.audit, deps.logger, { action: 'dead-letter-discard', who: session.operator, outcome: removed ? 'Success' : 'Failure', documentIds: [jobId] });
    if (!removed) return problem(res, 404, 'No such dead letter', jobId);
    res.status(204).end();
  }));

  app.post('/console/api/access-log/verify', as('viewer', async (_req, res, session) => {
    const result = await deps.audit.verify();
    await recordAction(deps.audit, deps.logger, { action: 'access-log-verify', who: session.operator, outcome: result.ok ? 'Success' : 'Failure' });
    json(res, result);
  }));

  app.get('/console/api/access-log.csv', as('viewer', async (req, res, session) => {
    const patient = param(req, 'patient');
    const limit = intParam(req, 'limit', 1, 1000, 1000);
    const records: AuditRecord[] = patient ? await deps.audit.listByPatient(patient as never, { limit }) : await deps.audit.listRecent({ limit });
    await recordAction(deps.audit, deps.logger, { action: 'access-log-export', who: session.operator, outcome: 'Success', patientId: patient });
    const lines = [CSV_COLUMNS.join(','), ...records.map((r) => CSV_COLUMNS.map((c) => csvField((r as unknown as Record<string, unknown>)[c])).join(','))];
    res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', `attachment; filename="access-log${patient ? '-patient' : ''}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.send(`${lines.join('\r\n')}\r\n`);
  }));

  app.get('/console/api/validations', as('viewer', async (req, res) => {
    if (!deps.validations) return json(res, { items: [] });
    json(res, { items: await deps.validations.list(intParam(req, 'limit', 1, 500, 50) ?? 50, intParam(req, 'before', 1, Number.MAX_SAFE_INTEGER)) });
  }));

  app.get('/console/api/validations/:id', as('viewer', async (req, res) => {
    const id = Number(req.params.id);
    const run = deps.validations && Number.isSafeInteger(id) ? await deps.validations.get(id) : undefined;
    if (!run) return problem(res, 404, 'No such validation');
    json(res, run);
  }));

  app.post('/console/api/validations', as('operator', async (req, res, session) => {
    if (!deps.validations) return problem(res, 503, 'Validation playground unavailable');
    let file: Uint8Array | undefined;
    try {
      file = await deps.readUpload(req);
    } catch (err) {
      if (err instanceof FseError) return problem(res, err.code === 'unsupportedMediaType' ? 415 : err.code === 'payloadTooLarge' ? 413 : 400, 'Unreadable upload', err.message);
      throw err;
    }
    if (!file || file.length === 0) return problem(res, 400, "Required part 'file' is not present");
    try {
      const run = await deps.validations.explain(file, session.operator.username);
      await recordAction(deps.audit, deps.logger, { action: 'validation-playground', who: session.operator, outcome: 'Success' });
      json(res, await deps.validations.get(run.id), 201);
    } catch (err) {
      await recordAction(deps.audit, deps.logger, { action: 'validation-playground', who: session.operator, outcome: 'Failure' });
      if (err instanceof FseError) return problem(res, 400, 'Not a document the bridge can validate', err.message);
      throw err;
    }
  }));
}
