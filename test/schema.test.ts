import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { getSchema, printSdl } from '@hro/api/graphql';

describe('schema/schema.graphql', () => {
  it('is the SDL generated from the code (run `pnpm schema:emit` after changing the schema)', async () => {
    const committed = readFileSync(join(repoRoot, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printSdl());
  });

  it('covers the first slice of the model as Relay connections', async () => {
    const sdl = await printSdl();
    for (const type of ['Pillar', 'NavigatorField', 'OrgUnit', 'Initiative', 'Project', 'Dataset']) {
      expect(sdl).toContain(`type ${type} implements Node`);
    }
    const query = (await getSchema()).getQueryType()?.getFields() ?? {};
    for (const connection of ['initiatives', 'projects', 'orgUnits', 'datasets']) {
      const field = query[connection];
      expect(field?.args.map((a) => a.name)).toEqual(expect.arrayContaining(['first', 'after', 'last', 'before']));
      expect(String(field?.type)).toMatch(/Connection!$/);
    }
    expect(String(query.node?.type)).toBe('Node');
  });
});
