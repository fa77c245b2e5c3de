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

// libxml2-wasm is loaded before the tsx loader, which would otherwise scan its 963 KB module (wasm inlined): measured
// 161 MB of RSS through tsx against 4 MB without (issue 12, bench:validate memory). Later imports share this instance.
await import('libxml2-wasm');
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
