import type pg from 'pg';

/**
 * LISTEN on one channel on a connection of its own, for the life of the subscription. Resolves to the function that
 * stops listening and gives the connection back. A notification's payload is passed as is.
 */
export async function listenOn(pool: pg.Pool, channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  const client = await pool.connect();
  const handler = (msg: pg.Notification) => {
    if (msg.channel === channel) onPayload(msg.payload ?? '');
  };
  client.on('notification', handler);
  // A broken connection is given back to the pool as broken; the next page load listens again.
  client.on('error', () => undefined);
  await client.query(`LISTEN ${channel}`);
  return async () => {
    client.off('notification', handler);
    await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
    client.release();
  };
}
