// Fills the TypeScript cache of scripts/ts-hooks.mjs with every source of the workspace's packages
// (tests aside), so that the process started next finds all its modules compiled and never loads
// swc itself — which would stay in its memory (≈ 30 MB) for its lifetime, the first start after an
// update included. `npm start` runs it before the server; the Dockerfile runs it at build time.
// Unchanged sources cost a hash each (≈ 0.1 s in all).
//   node scripts/ts-warm.mjs
import { accessSync, constants, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, compile } from './ts-hooks.mjs';

try {
  mkdirSync(cacheDir, { recursive: true });
  accessSync(cacheDir, constants.W_OK);
} catch {
  // a cache nobody can write (a read-only checkout without HRO_TS_CACHE): each process compiles
  process.exit(0);
}
const packages = fileURLToPath(new URL('../packages', import.meta.url));
for (const pkg of readdirSync(packages)) {
  let entries;
  try {
    entries = readdirSync(join(packages, pkg, 'src'), { recursive: true, withFileTypes: true });
  } catch {
    continue;
  }
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    compile(file, readFileSync(file, 'utf8'));
  }
}
