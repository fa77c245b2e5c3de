// Worker bootstrap when the bridge runs from TypeScript sources: Node 20 does not apply `--import tsx` from a
// worker's execArgv to the worker's entry module, so the loader is registered here before the real worker loads.
import { register } from 'tsx/esm/api';

// libxml2-wasm is loaded before the tsx loader, which would otherwise scan its 963 KB module (wasm inlined): measured
// 161 MB of RSS per thread through tsx against 4 MB without (issue 12, bench:validate memory). The TypeScript modules
// imported next get this same instance from the module cache.
await import('libxml2-wasm');
register();
const worker = await import('./validation-worker.ts');
export default worker.default;
export const memory = worker.memory;
