import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function selectOne(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db;
  } finally {
    await client.end();
  }
}

test('embedded PostgreSQL: initialises an empty directory, then only starts it', async () => {
  // The temporary directory itself is the data directory: as root the package chowns it to its `postgres` user.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fse-pg-'));
  const port = await freePort();
  try {
    const first = await startEmbeddedPostgres({ dataDir, port, database: 'fse_test' });
    try {
      assert.equal(await selectOne(first.url), 'fse_test');
    } finally {
      await first.stop();
    }
    assert.ok(readdirSync(dataDir).includes('PG_VERSION'), 'initdb wrote the cluster');

    const second = await startEmbeddedPostgres({ dataDir, port, database: 'fse_test' });
    try {
      assert.equal(await selectOne(second.url), 'fse_test', 'restart keeps the cluster and the database');
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
