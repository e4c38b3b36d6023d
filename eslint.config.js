// ESLint flat config of the HRO Datenplattform: typescript-eslint's type-aware rules for all
// TypeScript, plus import bans that keep the package dependencies pointing one way:
// portal → api ← etl (api imports neither; see ARCHITECTURE.md and STYLE.md, habit 1).
// test/architecture.test.ts checks the same direction without ESLint.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const API_MESSAGE = 'packages/api must not import etl or portal: dependencies point portal → api ← etl (see ARCHITECTURE.md)';
const API_INTERNALS_MESSAGE =
  'etl uses api only through its package entry points (@hro/api, @hro/api/db, /model, /domain, /graphql, /testing)';
const PORTAL_ETL_MESSAGE = 'only the composition root packages/portal/src/main.ts may import @hro/etl';
const PORTAL_API_INTERNALS_MESSAGE =
  'portal uses api only through its package entry points (@hro/api, @hro/api/db, /model, /domain, /graphql, /testing)';

/** Deep imports into api's sources, by package path or by a relative path into packages/api/src. */
const apiInternals = (message) => ({ group: ['@hro/api/src', '@hro/api/src/*', '**/api/src', '**/api/src/**'], message });

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    'scripts/toolchain/',
    '.data/',
    '**/dist/',
    '**/coverage/',
    '**/*.mjs',
    '**/*.js',
    '**/*.cjs',
    // a personal scratch file, excluded through .git/info/exclude and not part of tsconfig.json
    'scratch.ts',
    // Example apps build with their own strict tsconfig after graphql-codegen wrote their typed
    // documents (src/gql/, not committed); without those, type-aware rules would see only `any`.
    // test/example-client.test.ts runs codegen and tsc for them.
    'examples/',
  ]),

  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Types-only imports are `import type { A }`; mixed ones mark types inline: `import { f, type A }`.
      // Files with decorators keep their value imports: the rule reads emitDecoratorMetadata from tsconfig.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // At full strength: Fastify's handler types accept async functions, and signal listeners hand
      // their promise off explicitly (`() => void shutdown('SIGTERM')`), so no checksVoidReturn exceptions.
      '@typescript-eslint/no-misused-promises': 'error',
      // Output goes through pino or process.stdout/stderr.
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
      // Off: Fastify route handlers and CKAN actions are async by contract (a throw becomes a
      // rejection that Fastify or the action runner turns into an error response), also when a
      // body happens not to await, e.g. `async () => ({ status: 'ok' })`. A forgotten await on
      // a promise is what matters, and no-floating-promises catches that.
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Dependency direction. In flat config a later block replaces a rule's options, so each
  // package block lists all of its bans.
  {
    files: ['packages/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@hro/etl', message: API_MESSAGE },
            { name: '@hro/portal', message: API_MESSAGE },
          ],
          patterns: [
            { group: ['@hro/etl/*', '@hro/portal/*'], message: API_MESSAGE },
            { group: ['**/etl/src', '**/etl/src/**', '**/portal/src', '**/portal/src/**'], message: API_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/etl/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@hro/portal', message: 'packages/etl must not import portal: dependencies point portal → api ← etl' }],
          patterns: [
            {
              group: ['@hro/portal/*', '**/portal/src', '**/portal/src/**'],
              message: 'packages/etl must not import portal: dependencies point portal → api ← etl',
            },
            apiInternals(API_INTERNALS_MESSAGE),
          ],
        },
      ],
    },
  },
  {
    files: ['packages/portal/**/*.ts'],
    // main.ts is the composition root. Tests are composition roots of their own: they wire
    // the whole platform (load the sample sources through etl) before driving the portal.
    ignores: ['packages/portal/src/main.ts', 'packages/portal/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@hro/etl', message: PORTAL_ETL_MESSAGE }],
          patterns: [
            { group: ['@hro/etl/*', '**/etl/src', '**/etl/src/**'], message: PORTAL_ETL_MESSAGE },
            apiInternals(PORTAL_API_INTERNALS_MESSAGE),
          ],
        },
      ],
    },
  },
  {
    files: ['packages/portal/src/main.ts', 'packages/portal/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@hro/etl/*', '**/etl/src', '**/etl/src/**'], message: 'import etl through its entry point @hro/etl' },
            apiInternals(PORTAL_API_INTERNALS_MESSAGE),
          ],
        },
      ],
    },
  },
  // test/** is outside the packages, so the bans above do not reach it: test/setup/global-db.ts,
  // vitest's global setup, imports packages/api/src modules directly on purpose.

  // Tests: vitest types its asymmetric matchers (expect.any, expect.stringMatching, …) as `any`,
  // so placing one inside an expected object is an "unsafe assignment". The other no-unsafe-*
  // rules and no-floating-promises stay on.
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
]);
