#!/usr/bin/env node
// Entry point declared in package.json `bin`: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';

// A closed pipe (`fse-bridge ... | head`) ends the command quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
