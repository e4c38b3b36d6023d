import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { executeAs } from '../testing/graphql.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.navigator_field (key, name, position) values ('ozg', 'OZG', 1), ('dms', 'DMS', 2);
    insert into core.org_unit (code, name, kind) values ('06', 'Amt für Digitalisierung', 'amt'), ('10', 'Hauptamt', 'amt');
    insert into core.org_unit (code, name, kind, parent_id) values ('06.3', 'Bereich 06.3', 'unit', (select id from core.org_unit where code = '06'));
    insert into core.initiative (key, title, field_id, priority, status, responsible_org_unit_id) values
      ('V01', 'Ämterübergreifende E-Akte', (select id from core.navigator_field where key = 'dms'), 1, 'in_progress', (select id from core.org_unit where code = '06.3')),
      ('V02', 'Online-Dienste', (select id from core.navigator_field where key = 'ozg'), 2, 'planned', (select id from core.org_unit where code = '10')),
      ('V03', 'Servicekonzept', (select id from core.navigator_field where key = 'ozg'), null, null, null),
      ('V04', 'Monitoring 100%_sicher', (select id from core.navigator_field where key = 'ozg'), 1, 'done', (select id from core.org_unit where code = '06'));`);
});
afterAll(async () => {
  await db.close();
});

const declarations = (args: string) => {
  const used = [args.includes('$filter') ? '$filter: InitiativeFilter' : '', args.includes('$after') ? '$after: String' : ''].filter(
    Boolean,
  );
  return used.length > 0 ? `(${used.join(', ')})` : '';
};

async function keys(args: string, variables: Record<string, unknown> = {}): Promise<string[]> {
  const result = await executeAs(db, 'anonymous', `query ${declarations(args)} { initiatives(${args}) { nodes { key } } }`, variables);
  if (result.errors) throw new Error(result.errors.map((e) => `${String(e.extensions.code)}: ${e.message}`).join('; '));
  return (result.data?.initiatives as { nodes: { key: string }[] }).nodes.map((n) => n.key);
}

describe('initiative filters and order', () => {
  it('apply operators on fields', async () => {
    expect(await keys('filter: $filter', { filter: { priority: { eq: 1 } } })).toEqual(['V01', 'V04']);
    expect(await keys('filter: $filter', { filter: { priority: { isNull: true } } })).toEqual(['V03']);
    expect(await keys('filter: $filter', { filter: { status: { in: ['planned', 'done'] } } })).toEqual(['V02', 'V04']);
    expect(await keys('filter: $filter', { filter: { key: { gt: 'V02' } } })).toEqual(['V03', 'V04']);
  });

  it('match text ignoring case and accents, and treat % and _ literally', async () => {
    expect(await keys('filter: $filter', { filter: { title: { icontains: 'AMTERUBER' } } })).toEqual(['V01']);
    expect(await keys('filter: $filter', { filter: { title: { contains: '100%_' } } })).toEqual(['V04']);
    expect(await keys('filter: $filter', { filter: { title: { contains: '%' } } })).toEqual(['V04']);
  });

  it('combine with and / or / not, and filter across relations', async () => {
    expect(await keys('filter: $filter', { filter: { or: [{ status: { eq: 'done' } }, { field: { key: { eq: 'dms' } } }] } })).toEqual([
      'V01',
      'V04',
    ]);
    expect(await keys('filter: $filter', { filter: { not: { field: { key: { eq: 'ozg' } } } } })).toEqual(['V01']);
    expect(await keys('filter: $filter', { filter: { responsibleOrgUnit: { parent: { code: { eq: '06' } } } } })).toEqual(['V01']);
    expect(await keys('filter: $filter', { filter: { and: [{ field: { name: { eq: 'OZG' } } }, { priority: { lte: 1 } }] } })).toEqual([
      'V04',
    ]);
  });

  it('order by other fields with stable cursors', async () => {
    expect(await keys('orderBy: PRIORITY_ASC')).toEqual(['V01', 'V04', 'V02', 'V03']);
    expect(await keys('orderBy: TITLE_DESC')).toEqual(['V03', 'V02', 'V04', 'V01']);
    const page1 = await executeAs(db, 'anonymous', `{ initiatives(first: 2, orderBy: PRIORITY_ASC) { pageInfo { endCursor } } }`);
    const after = (page1.data?.initiatives as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    expect(await keys('first: 2, orderBy: PRIORITY_ASC, after: $after', { after })).toEqual(['V02', 'V03']);
    // a cursor of another order is refused, not misread
    await expect(keys('first: 2, orderBy: TITLE_ASC, after: $after', { after: 'WyJWMDEiXQ' })).rejects.toThrow(
      /not a cursor of this connection/,
    );
  });

  it('refuse unknown fields and oversized filters with BAD_USER_INPUT', async () => {
    await expect(keys('filter: $filter', { filter: { title: { icontains: 'x' }, bogus: 1 } })).rejects.toThrow(/bogus/);
    const deep = Array.from({ length: 300 }, () => ({ key: { eq: 'V01' } }));
    await expect(keys('filter: $filter', { filter: { or: deep } })).rejects.toThrow(/filter too large/);
  });
});
