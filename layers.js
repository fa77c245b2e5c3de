// The layers of src/ and who may import whom: one table read by eslint.config.js (no-restricted-imports, at edit
// time) and by test/architecture/layers.test.ts (every import, dynamic ones included, and no folder cycle).
// docs/architecture.md explains each layer.

/** Folders of src/, lowest layer first. A folder may import its own layer and lower ones, never a higher one. */
export const LAYERS = [
  { name: 'foundation', folders: ['domain', 'errors', 'logging', 'observability'] },
  {
    name: 'codecs and engines',
    folders: ['xml', 'soap-wire', 'ebxml', 'saml', 'jwt', 'pdf', 'mappings', 'metadata', 'catalog', 'validation', 'access', 'certs', 'atna-message'],
  },
  { name: 'stores and clients', folders: ['db', 'pipeline', 'stores', 'queue', 'audit', 'atna', 'gateway', 'ini'] },
  { name: 'operations', folders: ['operations', 'jobs'] },
  { name: 'front doors', folders: ['rest', 'soap', 'console'] },
  { name: 'composition root', folders: ['cli', 'demo', 'dev'] },
];

/** Files directly in src/: `config.ts` is foundation (the one reader of process.env); the others compose the bridge. */
export const FOUNDATION_FILES = ['config.ts'];

/** Beside the bridge: the national services' simulators, one folder each under src/simulators/. */
export const SIMULATORS = 'simulators';

/** The highest layer simulators may import (codecs and engines): never stores, clients, operations or doors. */
export const SIMULATOR_MAX_LAYER = 1;

/** The only folders that may start a simulator (`start --dev`, the demo); never `createApp`. */
export const SIMULATOR_USERS = ['cli', 'demo'];

/** Layer index of a folder of src/; undefined for an unknown folder (the test refuses those). */
export function layerOf(folder) {
  const index = LAYERS.findIndex((l) => l.folders.includes(folder));
  return index < 0 ? undefined : index;
}

/** Index of the composition root (files directly in src/ other than FOUNDATION_FILES belong to it). */
export const COMPOSITION_LAYER = LAYERS.length - 1;
