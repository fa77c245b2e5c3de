// Worker bootstrap when the bridge runs from TypeScript sources: Node 20 does not apply `--import tsx` from a
// worker's execArgv to the worker's entry module, so the loader is registered here before the real worker loads.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./validation-worker.ts');
export default worker.default;
