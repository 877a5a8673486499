// Type-aware lint in the spirit of immich: promises must be awaited or handled, switch statements
// over unions must be exhaustive. Zero warnings are allowed (`--max-warnings=0`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import boundaries from './scripts/eslint/boundaries-plugin.mjs';

const NODE_GLOBALS = [
  'AbortController',
  'AbortSignal',
  'Buffer',
  'URL',
  'URLSearchParams',
  'TextDecoder',
  'TextEncoder',
  '__dirname',
  '__filename',
  'clearInterval',
  'clearTimeout',
  'console',
  'exports',
  'fetch',
  'module',
  'performance',
  'process',
  'queueMicrotask',
  'require',
  'setImmediate',
  'setInterval',
  'setTimeout',
  'structuredClone',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.nx/**',
      '.sandcastle/**',
      'coverage/**',
      // JavaScript outside scripts/ is configuration (Jest, Vite): the scripts are linted below.
      '{apps,libs,tools,e2e,test}/**/*.{cjs,mjs,js}',
      '*.{cjs,js}',
      // Generated at build from the gateway's OpenAPI document.
      'apps/dashboard/src/api/schema.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The dashboard is a browser app with its own compiler options (DOM, JSX, bundler resolution).
    files: ['apps/dashboard/**/*.ts', 'apps/dashboard/**/*.tsx'],
    languageOptions: {
      parserOptions: { project: ['./apps/dashboard/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', 'e2e/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Architecture boundaries (docs/architecture.md, "Boundaries"): a violation fails `npm run lint`.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'apps/**/*.tsx', 'libs/**/*.tsx'],
    plugins: { sandcastle: boundaries },
    rules: { 'sandcastle/boundaries': 'error' },
  },
  {
    // The pure libraries may not reach the network or the process either.
    files: ['libs/workflow/src/**/*.ts', 'libs/contracts/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'process'].map((name) => ({
          name,
          message: 'libs/workflow and libs/contracts stay pure: no I/O and no process state.',
        })),
      ],
    },
  },
  {
    // The launcher, migrations, bench and checks: plain Node.js, type-checked by
    // `tsc -p tsconfig.scripts.json` (checkJs) and linted here.
    files: ['scripts/**/*.mjs', 'scripts/**/*.cjs', 'docs/examples/**/*.mjs', 'eslint.config.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      ecmaVersion: 2023,
      globals: Object.fromEntries(NODE_GLOBALS.map((name) => [name, 'readonly'])),
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
);
