import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Code that never runs in a service: tests, the testkit, benchmarks, scripts, tools, configs. */
const devCode = [
  '**/*.test.ts',
  'tests/**',
  'benchmarks/**',
  'packages/testkit/**',
  'scripts/**',
  'services/*/data/**',
  'charts/*/tests/**',
  'observability/tests/**',
  'tools/**',
  '*.mjs',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.stack/**', 'k8s/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // mongoose schema definitions are plain objects typed as SchemaTypeOptions class instances.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // Each package imports only what its package.json declares (nothing through hoisting), and
    // reaches another package through its name and exports, never a path into its folder.
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({
          conditionNames: ['source', 'types', 'require', 'node', 'default'],
          extensionAlias: { '.js': ['.ts', '.js'] },
        }),
      ],
    },
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          devDependencies: devCode,
          optionalDependencies: false,
          peerDependencies: false,
          includeTypes: true,
        },
      ],
      'import-x/no-relative-packages': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@messenger/*/src', '@messenger/*/src/**', '@messenger/*/dist/**'],
              message: 'Import a workspace package through its exports, not its folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'charts/*/tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    // The chart tests walk rendered manifests: arbitrary YAML, typed `any` where it is read. Their
    // shape is checked against the Kubernetes schemas instead (charts/messenger/tests/lib/kube.ts).
    files: ['charts/*/tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
