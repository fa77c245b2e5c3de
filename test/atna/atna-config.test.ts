import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';

test('ATNA_SYSLOG_URL: unset is off; tls:// and udp:// give the target, certificates resolved, the region as AuditSourceID', () => {
  assert.equal(loadConfig({}).atna, undefined);
  const tls = loadConfig({ ATNA_SYSLOG_URL: 'tls://audit.example:6514', ATNA_TLS_CERT: 'c.pem', ATNA_TLS_KEY: 'k.pem', ATNA_TLS_CA: 'ca.pem', FSE_REGION_CODE: '030' }).atna;
  assert.deepEqual(tls, {
    target: { transport: 'tls', host: 'audit.example', port: 6514 },
    tls: { certFile: path.resolve('c.pem'), keyFile: path.resolve('k.pem'), caFile: path.resolve('ca.pem') },
    queueMax: 10_000, auditSourceId: 'FSE-BRIDGE-030',
  });
  const udp = loadConfig({ ATNA_SYSLOG_URL: 'udp://[::1]:514', ATNA_QUEUE_MAX: '5', ATNA_AUDIT_SOURCE_ID: 'LAZIO' }).atna;
  assert.deepEqual([udp?.target, udp?.tls, udp?.queueMax, udp?.auditSourceId], [{ transport: 'udp', host: '::1', port: 514 }, undefined, 5, 'LAZIO']);
});

test('a syslog URL that is neither tls://host:port nor udp://host:port stops the boot', () => {
  for (const bad of ['tcp://audit:514', 'tls://audit', 'udp://:514', 'audit:514', 'tls://audit:6514/path']) {
    assert.throws(() => loadConfig({ ATNA_SYSLOG_URL: bad }), /ATNA_SYSLOG_URL/, bad);
  }
});
