// Lint rules that guard the code, after Temporal's TypeScript samples: floating promises are errors
// everywhere, and workflow code may import neither Node built-ins nor I/O libraries nor activity
// values (type imports are fine: they are erased). What workflow code reaches *through* other
// folders is checked by dependency-cruiser (.dependency-cruiser.js).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.temporal/', 'test-artifacts/', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, prettier],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'object-shorthand': ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The product uses the SDK's public API only: an internal path may change in any release.
    files: ['src/**/*.ts'],
    ignores: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@temporalio/*/lib/*'], message: "Use the SDK's public exports." }] },
      ],
    },
  },
  {
    // Tests poke at untyped JSON and browser objects.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins.' })),
            { name: 'got', message: 'Workflow code does no I/O: HTTP belongs in activities.' },
            ...['@temporalio/activity', '@temporalio/worker', '@temporalio/client'].map((name) => ({
              name,
              message: 'Not available in the workflow sandbox.',
              allowTypeImports: true,
            })),
          ],
          patterns: [
            { group: ['@temporalio/*/lib/*'], message: "Use the SDK's public exports." },
            {
              group: ['**/activities', '**/activities/*', '**/api', '**/api/*'],
              allowTypeImports: true,
              message: 'Import activity types only.',
            },
          ],
        },
      ],
    },
  },
);
