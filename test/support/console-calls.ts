import assert from 'node:assert/strict';
import { createOperatorStore, type OperatorRole } from '../../src/stores/operator-store.js';
import type { Harness } from './bridge-harness.js';

/** A signed-in console client: the session cookie and CSRF token, as the pages hold them. */
export interface ConsoleClient {
  readonly cookie: string;
  readonly csrf: string;
  call(method: string, path: string, init?: { body?: BodyInit; headers?: Record<string, string>; csrf?: boolean }): Promise<{ status: number; type: string; text: string; json: Record<string, unknown> }>;
}

export const PASSWORD = 'correct horse battery staple';

export async function addOperator(h: Harness, username: string, role: OperatorRole): Promise<void> {
  await createOperatorStore(h.app.resources().db.pool).put({ username, displayName: `${username} (test)`, role, password: PASSWORD });
}

export async function callConsole(h: Harness, method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${h.baseUrl}${path}`, { method, body: init.body, headers: init.headers, redirect: 'manual' });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json, headers: res.headers };
}

export async function signIn(h: Harness, username: string, password = PASSWORD): Promise<ConsoleClient> {
  const res = await callConsole(h, 'POST', '/console/api/session', { body: JSON.stringify({ username, password }), headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 200, res.text);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const csrf = String(res.json.csrfToken);
  return {
    cookie, csrf,
    call: (method, path, init = {}) => callConsole(h, method, path, {
      body: init.body, headers: { cookie, ...(init.csrf === false ? {} : { 'x-csrf-token': csrf }), ...init.headers },
    }),
  };
}
