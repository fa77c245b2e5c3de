import type { Express } from 'express';
import type { AuditRecord } from '../audit/index.js';
import { personKey } from '../domain/ids.js';
import { transactionJourney } from '../operations/console/transaction-journey.js';
import type { ExchangeFilter } from '../stores/exchange-store.js';
import { recordAction } from './console-audit.js';
import type { ConsoleDeps } from './console-deps.js';
import { guard } from './console-guard.js';
import { dateParam, intParam, json, param, problem, safely } from './console-http.js';

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

/** The pages' reads: overview, transactions and their journeys, the access log, patients. */
export function mountReadRoutes(app: Express, deps: ConsoleDeps): void {
  const viewer = (fn: Parameters<typeof guard>[2]) => safely(deps.logger, guard(deps.sessions, 'viewer', fn));

  app.get('/console/api/overview', viewer(async (_req, res) => {
    const [perMinute, errorsByKind, queues, health] = await Promise.all([
      deps.overview.perMinute(60), deps.overview.errorsByKind(60), deps.queue.counts(), deps.health(),
    ]);
    json(res, { perMinute, errorsByKind, queues, ...health });
  }));

  app.get('/console/api/transactions', viewer(async (req, res) => {
    const filter: ExchangeFilter = {
      patientId: param(req, 'patient'), documentId: param(req, 'documentId'), workflowInstanceId: param(req, 'workflowInstanceId'),
      traceId: param(req, 'traceId'), door: oneOf(param(req, 'door'), ['rest', 'soap'] as const),
      outcome: oneOf(param(req, 'outcome'), ['success', 'failure'] as const), from: dateParam(req, 'from'), to: dateParam(req, 'to'),
      before: intParam(req, 'before', 1, Number.MAX_SAFE_INTEGER), limit: intParam(req, 'limit', 1, 500, 50) ?? 50,
    };
    const items = await deps.exchanges.search(filter);
    const last = items.at(-1);
    json(res, { items, ...(items.length === filter.limit && last ? { next: last.id } : {}) });
  }));

  app.get('/console/api/transactions/:id', viewer(async (req, res) => {
    const id = Number(req.params.id);
    const summary = Number.isSafeInteger(id) ? await deps.exchanges.get(id) : undefined;
    if (!summary) return problem(res, 404, 'No such transaction');
    const journey = transactionJourney(summary, await deps.traceFacts(summary.traceId, summary.workflowInstanceId));
    const validations = deps.validations ? ((await deps.validations.list(50)) as { id: number; traceId?: string }[]) : [];
    const validation = validations.find((v) => v.traceId === summary.traceId);
    json(res, { summary, journey, ...(validation ? { validationId: validation.id } : {}) });
  }));

  app.get('/console/api/transactions/:id/raw', viewer(async (req, res, session) => {
    const id = Number(req.params.id);
    const raw = Number.isSafeInteger(id) ? await deps.exchanges.raw(id) : undefined;
    if (!raw) return problem(res, 404, 'No such transaction');
    const summary = await deps.exchanges.get(id);
    // Seeing a request's content is reading health data: recorded like any other read.
    await recordAction(deps.audit, deps.logger, { action: 'raw-view', who: session.operator, outcome: 'Success', patientId: summary?.patientId, documentIds: summary?.documentIds, traceId: summary?.traceId });
    json(res, raw);
  }));

  app.get('/console/api/access-log', viewer(async (req, res) => {
    const patient = param(req, 'patient');
    const options = { limit: intParam(req, 'limit', 1, 1000, 100), before: intParam(req, 'before', 1, Number.MAX_SAFE_INTEGER) };
    const items: AuditRecord[] = patient ? await deps.audit.listByPatient(patient as never, options) : await deps.audit.listRecent(options);
    json(res, { items });
  }));

  app.get('/console/api/patients', viewer(async (req, res) => {
    const items = await deps.patients.search(param(req, 'q', 100), intParam(req, 'limit', 1, 500, 100) ?? 100);
    json(res, { items });
  }));

  app.get('/console/api/patients/:id', viewer(async (req, res) => {
    const patient = await deps.patients.get(String(req.params.id));
    if (!patient) return problem(res, 404, 'Not a patient this region assists');
    const key = personKey(patient.patientId);
    const [consents, relations] = await Promise.all([deps.consents.history(key, 50), deps.relations.ofPatient(key)]);
    json(res, { ...patient, consents, relations });
  }));
}
