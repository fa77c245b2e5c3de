import { processIo, type CliIo, type CommandRunner } from './io.js';

/** Sub-commands, loaded lazily so `fse-bridge jwt` does not pay for the validation engine. */
const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<{ run: CommandRunner }> }>> = {
  start: { summary: 'run the bridge (--dev: development PKI and a ready curl example)', load: () => import('./commands/start.js') },
  validate: { summary: 'validate CDA files (XML or PDF): validate [--catalog DIR] FILE...', load: () => import('./commands/validate.js') },
  certs: { summary: 'development PKI: certs init DIR', load: () => import('./commands/certs.js') },
  jwt: { summary: 'mint the two Gateway JWTs: jwt --cert F --key F --pdf F [claims]', load: () => import('./commands/jwt.js') },
  worker: { summary: 'process queued jobs only (several processes may share the queues): worker [--concurrency N]', load: () => import('./commands/worker.js') },
  jobs: { summary: 'dead-letter queue: jobs failed | jobs retry <jobId>|--all', load: () => import('./commands/jobs.js') },
  audit: { summary: 'access log: audit verify [--from ID] [--anchor ID:HASH] | audit list --patient CX [--limit N]', load: () => import('./commands/audit.js') },
  operator: { summary: 'console accounts: operator add USER --role viewer|operator|admin [--password-stdin] | list | disable USER', load: () => import('./commands/operator.js') },
  patients: { summary: 'patients this region assists (its RDA): patients assign CX... | release CX... | list', load: () => import('./commands/patients.js') },
  demo: { summary: 'the federation on one machine: demo two-regions [--keep] (Gateway, INI and two bridges)', load: () => import('./commands/demo.js') },
  migrate: { summary: 'apply database migrations: migrate [--schema NAME] (DATABASE_URL or embedded)', load: () => import('./commands/migrate.js') },
  inject: { summary: 'embed a CDA in a PDF (ATTACHMENT mode): inject --cda F --pdf F [--out F]', load: () => import('./commands/inject.js') },
  sign: { summary: 'PAdES-sign a PDF: sign --pdf F (--cert F --key F | --p12 F --password P) [--out F]', load: () => import('./commands/sign.js') },
};

function usage(io: CliIo): void {
  io.stderr('usage: fse-bridge <command> [options]\n');
  for (const [name, c] of Object.entries(COMMANDS)) io.stderr(`  ${name.padEnd(10)} ${c.summary}`);
}

/** Dispatches to a sub-command; exit codes: 0 success, 1 failure, 2 usage error. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    usage(io);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  const { run } = await command.load();
  return run(rest, io);
}
