import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { keysAs, queryAs, refusalOf, walkAs } from '../testing/connections.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.navigator_field (key, name, position) values ('ozg', 'OZG', 1), ('dms', 'DMS', 2);
    insert into core.org_unit (code, name, kind) values ('06', 'Amt für Digitalisierung', 'amt'), ('10', 'Hauptamt', 'amt');
    insert into core.org_unit (code, name, kind, parent_id) values ('06.3', 'Bereich 06.3', 'unit', (select id from core.org_unit where code = '06'));
    insert into core.initiative (key, title, field_id) values
      ('V01', 'E-Akte', (select id from core.navigator_field where key = 'dms')),
      ('V02', 'Online-Dienste', (select id from core.navigator_field where key = 'ozg'));
    insert into core.project (key, title, source, status, status_raw, initiative_id, org_unit_id) values
      ('P001/19', 'Bürgerportal', 'council-paper', 'in_progress', 'In Umsetzung', (select id from core.initiative where key = 'V02'), (select id from core.org_unit where code = '06.3')),
      ('P002/19', 'E-Akte Einführung', 'council-paper', 'planned', 'Geplant', (select id from core.initiative where key = 'V01'), (select id from core.org_unit where code = '10')),
      ('P003/19', 'Änderungsdienst', 'council-paper', 'done', 'Abgeschlossen', null, null);
    insert into core.project (key, title, source, external_id, status, status_raw, start_date, due_date) values
      ('OP-1', 'Intern Alpha', 'openproject', '1', 'on_hold', 'Pausiert', '2024-01-01', '2024-06-30'),
      ('OP-2', 'Intern Beta', 'openproject', '2', 'in_progress', 'In Arbeit', null, '2025-01-31');
    insert into core.milestone (project_id, key, title, due_date, done_date, is_closed) values
      ((select id from core.project where key = 'OP-2'), 'm1', 'Ausschreibung', current_date - 10, null, false),
      ((select id from core.project where key = 'OP-1'), 'm1', 'Konzept', current_date - 10, current_date - 20, true);
    insert into core.project_status_history (project_id, status, status_raw, valid_from, valid_to) values
      ((select id from core.project where key = 'OP-1'), 'in_progress', 'In Arbeit', '2024-01-01', '2024-03-01'),
      ((select id from core.project where key = 'OP-1'), 'on_hold', 'Pausiert', '2024-03-01', null);`);
});
afterAll(async () => {
  await db.close();
});

const filtered = (role: 'anonymous' | 'developer' | 'steering', filter: unknown, args = '') =>
  keysAs(db, role, {
    connection: 'projects',
    args: `filter: $filter${args}`,
    declarations: '$filter: ProjectFilter',
    variables: { filter },
  });

describe('project filters', () => {
  it('apply operators to the published projects, across initiative, field and org unit', async () => {
    expect(await filtered('anonymous', { status: { in: ['in_progress', 'planned'] } })).toEqual(['P001/19', 'P002/19']);
    expect(await filtered('anonymous', { title: { icontains: 'anderung' } })).toEqual(['P003/19']);
    expect(await filtered('anonymous', { initiative: { field: { key: { eq: 'ozg' } } } })).toEqual(['P001/19']);
    expect(await filtered('anonymous', { field: { name: { eq: 'DMS' } } })).toEqual(['P002/19']);
    expect(await filtered('anonymous', { orgUnit: { parent: { code: { eq: '06' } } } })).toEqual(['P001/19']);
    expect(
      await filtered('anonymous', { or: [{ orgUnit: { code: { eq: '10' } } }, { not: { initiative: { key: { isNull: false } } } }] }),
    ).toEqual(['P002/19', 'P003/19']);
    // the project tool's projects are not published: no filter finds them for anonymous users
    expect(await filtered('anonymous', { key: { startsWith: 'OP-' } })).toEqual([]);
  });

  it('give the steering team the internal fields: dates, source, milestones, status history', async () => {
    expect(await filtered('steering', { dueDate: { lt: '2025-01-01' } })).toEqual(['OP-1']);
    expect(await filtered('steering', { source: { eq: 'openproject' }, startDate: { isNull: true } })).toEqual(['OP-2']);
    expect(await filtered('steering', { milestones: { overdue: { eq: true } } })).toEqual(['OP-2']);
    expect(await filtered('steering', { milestones: { isClosed: { eq: true } } })).toEqual(['OP-1']);
    expect(await filtered('steering', { statusHistory: { status: { eq: 'in_progress' }, validTo: { isNull: false } } })).toEqual(['OP-1']);
    const data = await queryAs<{ project: unknown }>(db, 'steering', '{ project(key: "OP-1") { startDate dueDate } }');
    expect(data.project).toEqual({ startDate: '2024-01-01', dueDate: '2024-06-30' });
  });

  it('refuse internal fields, relations and orders to others, whatever the data, before any row is read', async () => {
    for (const filter of [
      { dueDate: { lt: '2025-01-01' } },
      { dueDate: { lt: '1900-01-01' } },
      { or: [{ key: { eq: 'P001/19' } }, { source: { eq: 'openproject' } }] },
      { not: { milestones: { overdue: { eq: true } } } },
      { statusHistory: { status: { eq: 'on_hold' } } },
    ]) {
      expect(await refusalOf(db, 'anonymous', 'query ($f: ProjectFilter) { projects(filter: $f) { totalCount } }', { f: filter })).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(await refusalOf(db, 'developer', 'query ($f: ProjectFilter) { projects(filter: $f) { totalCount } }', { f: filter })).toEqual([
        'FORBIDDEN',
      ]);
    }
    expect(await refusalOf(db, 'anonymous', '{ projects(orderBy: DUE_DATE_ASC) { nodes { key } } }')).toEqual(['UNAUTHENTICATED']);
    expect(await refusalOf(db, 'developer', '{ projects(orderBy: START_DATE_DESC) { nodes { key } } }')).toEqual(['FORBIDDEN']);
    expect(await refusalOf(db, 'anonymous', '{ project(key: "P001/19") { dueDate } }')).toEqual(['UNAUTHENTICATED']);
  });

  it('refuse malformed dates with BAD_USER_INPUT', async () => {
    await expect(filtered('steering', { dueDate: { lt: '31.01.2025' } })).rejects.toThrow(
      /BAD_USER_INPUT: filter.dueDate: dates are written YYYY-MM-DD/,
    );
    await expect(filtered('steering', { dueDate: { eq: '2025-02-30' } })).rejects.toThrow(/BAD_USER_INPUT/);
  });
});

describe('project order', () => {
  it('sorts by title, status and (for the steering team) dates, with missing values last', async () => {
    expect(await keysAs(db, 'anonymous', { connection: 'projects', args: 'orderBy: TITLE_ASC' })).toEqual([
      'P003/19',
      'P001/19',
      'P002/19',
    ]);
    expect(await keysAs(db, 'anonymous', { connection: 'projects', args: 'orderBy: STATUS_ASC' })).toEqual([
      'P002/19',
      'P001/19',
      'P003/19',
    ]);
    expect(await keysAs(db, 'steering', { connection: 'projects', args: 'orderBy: DUE_DATE_ASC' })).toEqual([
      'OP-1',
      'OP-2',
      'P001/19',
      'P002/19',
      'P003/19',
    ]);
    // ties break by key in the order's direction (keyset paging compares (sort, key) as one row)
    expect(await keysAs(db, 'steering', { connection: 'projects', args: 'orderBy: DUE_DATE_DESC' })).toEqual([
      'OP-2',
      'OP-1',
      'P003/19',
      'P002/19',
      'P001/19',
    ]);
  });

  it('pages with cursors that carry the sort key, forward and backward', async () => {
    for (const orderBy of ['KEY_DESC', 'TITLE_DESC', 'STATUS_ASC', 'STATUS_DESC', 'START_DATE_ASC', 'DUE_DATE_DESC']) {
      const all = await keysAs(db, 'steering', { connection: 'projects', args: `orderBy: ${orderBy}` });
      expect(all).toHaveLength(5);
      expect(await walkAs(db, 'steering', { connection: 'projects', args: `orderBy: ${orderBy}` }, 2)).toEqual(all);
    }
    const filteredWalk = await walkAs(
      db,
      'anonymous',
      {
        connection: 'projects',
        args: 'orderBy: TITLE_DESC, filter: $f',
        declarations: '$f: ProjectFilter',
        variables: { f: { key: { ne: 'P002/19' } } },
      },
      1,
    );
    expect(filteredWalk).toEqual(['P001/19', 'P003/19']);
  });
});
