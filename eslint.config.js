// @ts-check
/**
 * Lint: typescript-eslint's recommended rules, no `any`, and the layer rules that keep imports
 * pointing down (docs/architecture.md, "Layout"). Formatting is left to the editor (.editorconfig).
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * What each folder of src/ may import from its siblings, bottom layer first. A folder not listed
 * under another's allowed list is above it or beside it: importing it is an upward (or sideways)
 * import and fails the lint.
 */
const LAYERS = {
  core: [],
  platform: ['core'],
  pool: ['core', 'platform'],
  worker: ['core', 'platform'],
  data: ['core'],
  parallel: ['core', 'pool', 'data'],
  graph: ['core', 'pool', 'data'],
  scene: ['core', 'data'],
  study: ['core', 'data'],
  // Node only (child_process, fs): the Slurm executor.
  cluster: ['core'],
};

/** Folders other layers reach only through their index.ts, so their insides can change freely. */
const BY_INDEX = ['graph', 'parallel', 'worker'];

const byIndex = {
  regex: `^(\\.\\./)+(src/)?(${BY_INDEX.join('|')})/(?!index\\.ts$)`,
  message: `reach ${BY_INDEX.join(', ')} through their index.ts from outside them`,
};

/** The folders the worker side (workers/, wasm/) must never import: they are page-only layers. */
const pageOnly = {
  regex: '(^|/)src/(pool|graph|parallel|scene|ui|index\\.ts$)',
  message: 'worker-side code (workers/, wasm/) imports only src/core, src/worker, src/data and the engines',
};

/** Node-only folders: nothing that runs in a page or a worker may import them. */
const nodeOnly = {
  regex: '(^|/)(src/)?cluster/',
  message: 'src/cluster is Node only (child_process, fs): page and worker code must not import it',
};

/** The Node runner (src/node/) is Node-only: nothing the page or its workers load may import it. */
const notNode = {
  regex: '(^|/)node/[^/]*\\.ts$',
  message: 'src/node is the Node runner: nothing the page or its workers load may import it',
};

/** itk-wasm's Node variant (node:fs): only the Node runner's worker entry installs it. */
const itkNode = {
  regex: '(^|/)itk/node\\.ts$',
  message: 'wasm/itk/node.ts is itk-wasm for Node (node:fs): only src/node/worker.ts imports it',
};

/** Above data, below the runtimes' users: the built-in ops' declarations (no engine, no run code). */
const SPECS_USERS = ['parallel'];

const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: allowed.length ? `^\\.\\./(?!(${allowed.join('|')})/${SPECS_USERS.includes(folder) ? '|\\.\\./workers/specs\\.ts$' : ''})` : '^\\.\\./',
            message: allowed.length
              ? `an upward or sideways import: src/${folder} may import only ${allowed.map((a) => `src/${a}`).join(', ')}`
              : `src/${folder} is the bottom layer: it imports nothing of the project outside itself`,
          },
          byIndex,
          notNode,
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'site/**',
      'bench/ab/old/**',
      'bench/ab/segments-dist/**',
      'node_modules/**',
      'wasm/kernels/assembly/**',
      'bench/results/**',
      'coverage/**',
      'dev-dist/**',
      'test-results/**',
      '.vite/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.mjs', '**/*.config.ts', 'wasm/*.ts', 'bench/suites/**', 'bench/run.mjs'], languageOptions: { globals: { ...globals.node } } },
  ...layerRules,
  { files: ['src/ui/**/*.ts', 'src/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [byIndex, nodeOnly, notNode, itkNode] }] } },
  // The Node runner sits on top, beside ui: it may import any layer (through their index.ts), and nothing imports it.
  { files: ['src/node/**/*.ts', 'test/node/**/*.ts'], languageOptions: { globals: { ...globals.node } } },
  { files: ['src/node/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [byIndex] }] } },
  { files: ['workers/**/*.ts', 'wasm/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [pageOnly, byIndex, nodeOnly, notNode, itkNode] }] } },
);
