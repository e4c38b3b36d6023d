import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../config.js';
import { releaseChangelog } from './schema-changelog.js';
import { checkSchemaChanges, formatSchemaProblems } from './schema-changes.js';

// `pnpm schema:release <version>`: makes the current schema the released one. Refuses while the
// change check fails, so a release never carries an unannounced breaking change; then copies
// schema/schema.graphql to schema/released.graphql and turns the changelog's Unreleased section
// into "## [<version>] – <today>".
const version = process.argv[2] ?? '';
const today = new Date().toISOString().slice(0, 10);
const dir = join(repoRoot, 'schema');
const current = readFileSync(join(dir, 'schema.graphql'), 'utf8');
const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
try {
  const { problems } = await checkSchemaChanges({
    released: readFileSync(join(dir, 'released.graphql'), 'utf8'),
    current,
    changelog,
    today,
  });
  if (problems.length > 0) throw new Error(formatSchemaProblems(problems));
  const released = releaseChangelog(changelog, version, today);
  writeFileSync(join(dir, 'released.graphql'), current);
  writeFileSync(join(dir, 'CHANGELOG.md'), released);
  process.stdout.write(`released schema ${version} (${today}): schema/released.graphql, schema/CHANGELOG.md\n`);
} catch (error) {
  process.stderr.write(`schema:release: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
