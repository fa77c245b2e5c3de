// Lint rules that catch what review misses: floating promises and non-exhaustive switches (STYLE rule 19), and the
// layers of src/ (docs/architecture.md): each folder gets the imports it may not make, from the one table in layers.js.
import tseslint from 'typescript-eslint';
import { COMPOSITION_LAYER, FOUNDATION_FILES, LAYERS, SIMULATOR_MAX_LAYER, SIMULATOR_USERS, SIMULATORS } from './layers.js';

const up = (depth) => (depth === 0 ? '\\./' : `(\\.\\./){${depth}}`);
const alt = (names) => names.map((n) => n.replaceAll('.', '\\.')).join('|');
/** Files directly in src/ that compose the bridge (app.ts, ...): only the composition root may import them. */
const compositionFiles = (depth) => `^${up(depth)}(?!(${alt(FOUNDATION_FILES.map((f) => f.replace(/\.ts$/, '.js')))})$)[^/]+\\.js$`;

/** no-restricted-imports for the files `depth` folders below src/ that belong to `layer` (or to a simulator). */
function restrictions(depth, { layer, simulator = false, mayUseSimulators = false }) {
  const max = simulator ? SIMULATOR_MAX_LAYER : layer;
  const above = LAYERS.slice(max + 1).flatMap((l) => l.folders);
  const patterns = [];
  if (above.length > 0) {
    patterns.push({
      regex: `^${up(depth)}(${alt(above)})/`,
      message: simulator
        ? 'Simulators use only foundation, codecs and engines, and their own code (docs/architecture.md)'
        : `Layer rule (docs/architecture.md): ${LAYERS[layer].name} may not import a higher layer`,
    });
  }
  if (!simulator && !mayUseSimulators) {
    patterns.push({ regex: `^${up(depth)}${SIMULATORS}/`, message: 'Only the composition root (cli, demo) starts simulators (docs/architecture.md)' });
  }
  if (simulator || layer < COMPOSITION_LAYER) {
    patterns.push({ regex: compositionFiles(depth), message: 'The composition root (src/app.ts, ...) is imported by cli and demo only' });
  }
  return { 'no-restricted-imports': ['error', { patterns }] };
}

const layerBlocks = [];
LAYERS.forEach(({ folders }, layer) => {
  for (const folder of folders) {
    for (const depth of [1, 2, 3]) {
      layerBlocks.push({
        files: [`src/${folder}/${Array(depth - 1).fill('*/').join('')}*.ts`],
        rules: restrictions(depth, { layer, mayUseSimulators: SIMULATOR_USERS.includes(folder) }),
      });
    }
  }
});
for (const depth of [1, 2, 3]) {
  layerBlocks.push({ files: [`src/${SIMULATORS}/${Array(depth - 1).fill('*/').join('')}*.ts`], rules: restrictions(depth, { layer: 0, simulator: true }) });
}
layerBlocks.push({ files: FOUNDATION_FILES.map((f) => `src/${f}`), rules: restrictions(0, { layer: 0 }) });
layerBlocks.push({ files: ['src/*.ts'], ignores: FOUNDATION_FILES.map((f) => `src/${f}`), rules: restrictions(0, { layer: COMPOSITION_LAYER }) });

export default tseslint.config(
  { ignores: ['node_modules/', 'var/', 'dist/'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test()/describe() return promises the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  ...layerBlocks,
);
