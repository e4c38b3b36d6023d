// Runs the workspace's TypeScript sources in Node without a build step:
//   node --import ./scripts/ts-hooks.mjs packages/portal/src/main.ts
//
// Why not @swc-node/register (which the tests of earlier sessions used): it loads the TypeScript
// compiler to read tsconfig.json and compiles in a loader worker thread — about 160 MB of resident
// memory before the first line of our code runs, more than an ETL worker needs in all. These
// in-thread hooks (module.registerHooks, Node ≥ 22.15) call swc directly with the options that
// tsconfig.base.json states (legacy decorators with metadata for type-graphql and MikroORM,
// ES2022, no define semantics for class fields).
//
// swc itself costs ~25–35 MB of resident memory once loaded (its native library and what it
// allocates), so its output is kept on disk (HRO_TS_CACHE, default node_modules/.cache/hro-ts)
// and swc is loaded only when a file's output is not there yet: a process whose sources are
// unchanged since the last run never loads it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Keep in step with tsconfig.base.json (a test compares them). */
export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    keepClassNames: true,
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'es6' },
  // the map goes beside the cached output, not into it: V8 keeps every module's text for the life
  // of the process, and inline maps (base64, with the TypeScript source) tripled ours. Without the
  // sources' content, Node's --enable-source-maps keeps less of each map in memory.
  sourceMaps: true,
  inlineSourcesContent: false,
  isModule: true,
};

const require = createRequire(import.meta.url);
const swcVersion = JSON.parse(readFileSync(join(dirname(require.resolve('@swc/core')), 'package.json'), 'utf8')).version;
export const cacheDir = process.env.HRO_TS_CACHE || fileURLToPath(new URL('../node_modules/.cache/hro-ts', import.meta.url));
// what else decides the output; a change of any of them recompiles every file
const salt = JSON.stringify({ format: 2, swc: swcVersion, swcOptions });

let swc;
let cacheWritable = true;

/**
 * The JavaScript of one TypeScript file: from the cache when its entry was made from the same
 * source (and salt), else compiled by swc and stored. One entry per file (named by its path) keeps
 * the cache as large as the source tree; the key at the entry's end says what it was made from.
 * A cache that cannot be written (a read-only checkout) only means compiling in memory. Two
 * processes compiling different versions of one file at once may leave the entry of one beside
 * the map of the other: that misplaces line numbers in stack traces until the file changes again.
 */
export function compile(filename, source) {
  const key = createHash('sha256').update(salt).update('\0').update(source).digest('hex');
  const trailer = `\n//# hro-ts ${key}\n`;
  const entry = join(cacheDir, `${createHash('sha256').update(filename).digest('hex').slice(0, 40)}.js`);
  try {
    const cached = readFileSync(entry, 'utf8');
    if (cached.endsWith(trailer)) return cached.slice(0, -trailer.length);
  } catch {
    // not cached yet
  }
  swc ??= require('@swc/core');
  const { code, map } = swc.transformSync(source, { ...swcOptions, filename });
  if (cacheWritable) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      // the map first: the entry, written last, is what makes both valid. A path without a scheme,
      // which Node resolves against the module's URL (it ignores file: URLs here).
      writeAtomically(`${entry}.map`, map);
      const linked = `${code}\n//# sourceMappingURL=${pathToFileURL(`${entry}.map`).pathname}`;
      writeAtomically(entry, linked + trailer);
      return linked;
    } catch {
      cacheWritable = false;
    }
  }
  return `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}`;
}

/** A temporary file renamed into place, so that concurrent processes never read half of one. */
function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

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
    return { format: 'module', source: compile(filename, readFileSync(filename, 'utf8')), shortCircuit: true };
  },
});
