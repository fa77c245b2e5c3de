import { parseArgs } from 'node:util';

/** Where a CLI command writes: injected so tests capture output without spawning processes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input (a password piped in); optional so tests' writers need not provide it. */
  readStdin?(): Promise<string>;
}

export const processIo: CliIo = {
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Parses string options plus `--help`, the shared front of the file-tool commands: a parse error prints the usage
 * and yields exit code 2, `--help` prints it and yields 0; otherwise the option values.
 */
export function parseStringOptions<K extends string>(
  argv: string[], names: readonly K[], usage: string, io: CliIo,
): Partial<Record<K, string>> | number {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const name of names) options[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  return Object.fromEntries(names.map((n) => [n, values[n]]).filter(([, v]) => typeof v === 'string')) as Partial<Record<K, string>>;
}
