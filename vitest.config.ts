import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships CommonJS (main) and ESM (module). Node — and so type-graphql and Apollo —
// load the CommonJS build; Vite would hand our own sources the ESM build, and graphql refuses
// objects from "another module or realm". Point Vite at the same file Node uses.
const graphqlMain = createRequire(new URL('./packages/api/package.json', import.meta.url)).resolve('graphql');

export default defineConfig({
  resolve: {
    alias: [{ find: /^graphql$/, replacement: graphqlMain }],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/global-db.ts'],
    // decorators (type-graphql, MikroORM) need the metadata polyfill before any module defines a class
    setupFiles: ['reflect-metadata', 'test/setup/closed-network.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    passWithNoTests: false,
    allowOnly: false,
    reporters: ['default'],
  },
});
