import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { keysAs, walkAs } from '../testing/connections.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.org_unit (code, name, kind) values ('06', 'Amt für Digitalisierung', 'amt'), ('10', 'Hauptamt', 'amt'), ('stadtamt', 'Stadtamt', 'office');
    insert into core.org_unit (code, name, kind, parent_id) values
      ('06.3', 'Bereich Anwendungen', 'unit', (select id from core.org_unit where code = '06')),
      ('10.1', 'Ämterorganisation', 'unit', (select id from core.org_unit where code = '10'));
    insert into core.org_unit (code, name, kind, parent_id) values
      ('06.3.1', 'Team Fachverfahren', 'unit', (select id from core.org_unit where code = '06.3'));`);
});
afterAll(async () => {
  await db.close();
});

const filtered = (filter: unknown, args = '') =>
  keysAs(db, 'anonymous', {
    connection: 'orgUnits',
    key: 'code',
    args: `filter: $filter${args}`,
    declarations: '$filter: OrgUnitFilter',
    variables: { filter },
  });

describe('org unit filters and order', () => {
  it('filter by fields, parents and children, nested at any depth', async () => {
    expect(await filtered({ kind: { eq: 'unit' } })).toEqual(['06.3', '06.3.1', '10.1']);
    expect(await filtered({ name: { icontains: 'amterorg' } })).toEqual(['10.1']);
    expect(await filtered({ children: { kind: { eq: 'unit' } } })).toEqual(['06', '06.3', '10']);
    // parent.parent: each level has its own alias, so the outer unit is not shadowed
    expect(await filtered({ parent: { parent: { code: { eq: '06' } } } })).toEqual(['06.3.1']);
    expect(await filtered({ children: { children: { name: { startsWith: 'Team' } } } })).toEqual(['06']);
    expect(await filtered({ and: [{ parent: { code: { isNull: false } } }, { not: { children: { code: { isNull: false } } } }] })).toEqual([
      '06.3.1',
      '10.1',
    ]);
  });

  it('sort by name and page stably', async () => {
    expect(await keysAs(db, 'anonymous', { connection: 'orgUnits', key: 'code', args: 'orderBy: NAME_ASC' })).toEqual([
      '06',
      '10.1',
      '06.3',
      '10',
      'stadtamt',
      '06.3.1',
    ]);
    for (const orderBy of ['CODE_DESC', 'NAME_ASC', 'NAME_DESC']) {
      const all = await keysAs(db, 'anonymous', { connection: 'orgUnits', key: 'code', args: `orderBy: ${orderBy}` });
      expect(await walkAs(db, 'anonymous', { connection: 'orgUnits', key: 'code', args: `orderBy: ${orderBy}` }, 4)).toEqual(all);
    }
  });
});
