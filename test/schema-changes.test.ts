// Schema change safety (issue 10): the current schema against the last released one, by the rules
// of schema/CHANGELOG.md. A failure lists each unannounced breaking change and how to fix it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { parseChangelog } from '../packages/api/src/graphql/schema-changelog.js';
import { checkSchemaChanges, formatSchemaProblems } from '../packages/api/src/graphql/schema-changes.js';

const read = (file: string) => readFileSync(join(repoRoot, 'schema', file), 'utf8');

describe('schema/schema.graphql against schema/released.graphql', () => {
  it('has no breaking change that schema/CHANGELOG.md does not announce with a deprecation period', async () => {
    const { problems } = await checkSchemaChanges({
      released: read('released.graphql'),
      current: read('schema.graphql'),
      changelog: read('CHANGELOG.md'),
      today: new Date().toISOString().slice(0, 10),
    });
    expect(problems, formatSchemaProblems(problems)).toEqual([]);
  });

  it('keeps the changelog in shape: Unreleased first, then versions with dates, newest first, the latest 1.0.0 or later', () => {
    const sections = parseChangelog(read('CHANGELOG.md'));
    expect(sections[0]?.title).toBe('Unreleased');
    const versions = sections.slice(1);
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) {
      expect(v.title).toMatch(/^\d+\.\d+\.\d+$/);
      expect(v.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const dates = versions.map((v) => v.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    expect(versions.map((v) => v.title)).toContain('1.0.0');
  });
});
