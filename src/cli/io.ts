/** Where a CLI command writes: injected so tests capture output without spawning processes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;
