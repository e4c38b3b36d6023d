// Runs the workspace's TypeScript sources in Node without a build step:
//   node --import ./scripts/ts-hooks.mjs packages/portal/src/main.ts
//
// Why not @swc-node/register (which the tests of earlier sessions used): it loads the TypeScript
// compiler to read tsconfig.json and compiles in a loader worker thread — about 160 MB of resident
// memory before the first line of our code runs, more than an ETL worker needs in all. These
// in-thread hooks (module.registerHooks, Node ≥ 22.15) call swc directly with the options that
// tsconfig.base.json states (legacy decorators with metadata for type-graphql and MikroORM,
// ES2022, no define semantics for class fields): ~25 MB for swc itself.
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

/** Keep in step with tsconfig.base.json (a test compares them). */
export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    keepClassNames: true,
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
  isModule: true,
};

const ours = (url) => url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/');

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      // TypeScript's NodeNext convention: `./x.js` in a .ts file names ./x.ts
      const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !relative || !specifier.endsWith('.js')) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
  load(url, context, nextLoad) {
    if (!ours(url)) return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
