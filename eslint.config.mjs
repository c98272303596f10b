import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// The rooms of src/ and which way imports may go (docs/architecture.md "Rooms"):
//   core (pure) ← kube (clusters) ← services ← editor / views / commands ← extension.ts (wiring)
//   core (pure) ← openstack (Keystone)
// `lifecycle.ts` is below everything but core; `cli` uses core and openstack. The UI rooms and the
// services reach src/kube and @kubernetes/client-node through `await kube()` (src/services/kube.ts) only: type imports
// are free, value imports are an error (so the Kubernetes code can become a lazily loaded bundle).
// test/emulator imports nothing from src (it is an independent stand-in for kube-apiserver).

/** An import source pointing into the room `name`: up out of the current room, then into `name` (rooms are right under src/). */
const into = (name) => `^(\\.\\./)+${name}(/|$)`;
const restrict = (message, ...rooms) => ({ regex: rooms.map(into).join('|'), message });
const VSCODE = { name: 'vscode', message: 'This room is shared with the CLI and the tests: no VS Code API here.' };
const CLIENT_NODE_VALUE = {
  name: '@kubernetes/client-node',
  allowTypeImports: true,
  message: 'Reach @kubernetes/client-node through `await kube()` (src/services/kube.ts); type imports are fine.',
};
const KUBE_VALUE = {
  regex: into('kube'),
  allowTypeImports: true,
  message: 'Reach src/kube through `await kube()` (src/services/kube.ts); type imports are fine.',
};
const UI = ['editor', 'views', 'commands'];
const uiRoom = (room) => ({
  files: [`src/${room}/**/*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [CLIENT_NODE_VALUE],
        patterns: [
          restrict(
            `${room} is a UI room: it talks to the other UI rooms through command ids (src/services/commandIds.ts) and services, never by import.`,
            ...UI.filter((r) => r !== room),
          ),
          KUBE_VALUE,
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/lifecycle.ts'],
    rules: {
      // Timers go through lifecycle.ts (`timeout`, `delay`): always cancellable, and counted by the lifetime tests.
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use timeout()/delay() from src/lifecycle.ts.' },
        { name: 'setInterval', message: 'Use timeout()/delay() from src/lifecycle.ts.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/services/kube.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'Only src/services/kube.ts and src/extension.ts load modules on demand.' },
      ],
    },
  },
  // The rooms.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [VSCODE, { name: '@kubernetes/client-node', message: 'core is pure: no cluster access.' }],
          patterns: [
            restrict(
              'core is pure: it imports only core.',
              'kube',
              'services',
              'editor',
              'views',
              'commands',
              'cli',
              'lifecycle',
              'extension',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/lifecycle.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [VSCODE],
          patterns: [restrict('lifecycle.ts is below every room: no imports from src.', 'core', 'kube', 'services', ...UI, 'cli')],
        },
      ],
    },
  },
  {
    files: ['src/kube/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [VSCODE],
          patterns: [
            restrict('kube talks to clusters and knows nothing of VS Code or the rooms above it.', 'services', ...UI, 'cli', 'extension'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/openstack/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [VSCODE, { name: '@kubernetes/client-node', message: 'openstack talks to Keystone only.' }],
          patterns: [restrict('openstack talks to Keystone and builds on core only.', 'kube', 'services', ...UI, 'cli', 'extension')],
        },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [CLIENT_NODE_VALUE],
          patterns: [restrict('services are below the UI rooms.', ...UI, 'cli', 'extension'), KUBE_VALUE],
        },
      ],
    },
  },
  {
    // The one door to src/kube: its type import of kube/api is what `kube()` resolves to.
    files: ['src/services/kube.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [restrict('services are below the UI rooms.', ...UI, 'cli', 'extension')] },
      ],
    },
  },
  ...UI.map(uiRoom),
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [VSCODE], patterns: [restrict('The CLI uses core and openstack only.', 'kube', 'services', ...UI, 'extension')] },
      ],
    },
  },
  {
    // Every file of the emulator, its controller models included (test/emulator/independence.test.ts checks
    // the same transitively, through other test files and dynamic imports).
    files: ['test/emulator/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: into('src'), message: 'The emulator is an independent stand-in for kube-apiserver: it imports nothing from src/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' },
    },
  },
);
