import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { jobCatalogue } from '../../jobs/catalogue.js';
import { createQueueBackend, type QueueBackend } from '../../queue/connection.js';
import { createJobQueue, type JobQueue } from '../../queue/queues.js';
import type { CliIo } from '../io.js';

const USAGE = 'usage: fse-bridge jobs failed | fse-bridge jobs retry <jobId> | fse-bridge jobs retry --all';

/**
 * `fse-bridge jobs failed` prints the dead-letter queue as JSON lines; `fse-bridge jobs retry <jobId>|--all` moves
 * dead jobs back to the job queue (in the bulk lane) with fresh attempts. Exit 1 when the id is not dead-lettered.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (err) {
    io.stderr(`fse-bridge jobs: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  let backend: QueueBackend;
  try {
    backend = await createQueueBackend(config);
  } catch (err) {
    io.stderr(`fse-bridge jobs: cannot open the queues: ${(err as Error).message}`);
    return 1;
  }
  const queue = createJobQueue(backend, jobCatalogue, config.queuePrefix);
  try {
    return await execute(parsed, queue, io);
  } catch (err) {
    io.stderr(`fse-bridge jobs: ${(err as Error).message}`);
    return 1;
  } finally {
    await queue.close();
    await backend.close();
  }
}

type Command = { action: 'failed' } | { action: 'retry'; target: string };

function parseCommand(argv: string[]): Command {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { all: { type: 'boolean' } } });
  const [action, id, ...extra] = positionals;
  if (action === 'failed' && !id && !values.all) return { action };
  if (action === 'retry' && extra.length === 0) {
    if (values.all && !id) return { action, target: 'all' };
    if (id && !values.all) return { action, target: id };
  }
  throw new Error('invalid arguments');
}

async function execute(command: Command, queue: JobQueue<typeof jobCatalogue>, io: CliIo): Promise<number> {
  switch (command.action) {
    case 'failed':
      for (const letter of await queue.listFailed()) io.stdout(JSON.stringify(letter));
      return 0;
    case 'retry': {
      const moved = await queue.retry(command.target);
      io.stdout(JSON.stringify({ retried: moved }));
      return command.target !== 'all' && moved.length === 0 ? 1 : 0;
    }
  }
}
