import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../config.js';
import { printSdl } from './schema.js';

// `pnpm schema:emit`: rewrites schema/schema.graphql from the code.
const file = join(repoRoot, 'schema', 'schema.graphql');
writeFileSync(file, await printSdl());
process.stdout.write(`wrote ${file}\n`);
