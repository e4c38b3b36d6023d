import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { GraphQLAnswerError, keysAs, queryAs, refusalOf, walkAs } from '../testing/connections.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.org_unit (code, name, kind) values ('32', 'Ordnungsamt', 'amt'), ('50', 'Sozialamt', 'amt');
    insert into core.procedure (key, name, annual_cost) values ('FV-1', 'Gewerbeverfahren', 1200), ('FV-2', 'Sozialverfahren', 90000);
    insert into core.ozg_topic (key, name, kind) values ('themenfeld:2', 'Bauen & Wohnen', 'themenfeld'), ('themenfeld:13', 'Umwelt', 'themenfeld');
    insert into core.service (key, kind, ozg_id, title, topic_id, responsible_org_unit_id, efa, implementation_status) values
      ('ozg:10513', 'ozg', '10513', 'Abbruchgenehmigung', (select id from core.ozg_topic where key = 'themenfeld:2'),
        (select id from core.org_unit where code = '32'), true, 'online'),
      ('ozg:10484', 'ozg', '10484', 'Abfallentsorgung', (select id from core.ozg_topic where key = 'themenfeld:13'), null, false, 'planned'),
      ('local:1', 'local', null, 'Zuzug melden', null, (select id from core.org_unit where code = '50'), null, null);
    update core.service set procedure_id = (select id from core.procedure where key = 'FV-1') where key = 'ozg:10484';
    update core.service set procedure_id = (select id from core.procedure where key = 'FV-2') where key = 'local:1';
    insert into core.service (key, kind, leika_key, ozg_id, parent_id, title)
      select 'leika:99012001000000', 'leika', '99012001000000', '10513', id, 'Abbruch anzeigen' from core.service where key = 'ozg:10513';
    insert into core.service (key, kind, leika_key, ozg_id, parent_id, title)
      select 'leika:99013002000000', 'leika', '99013002000000', '10484', id, 'Müllabfuhr anmelden' from core.service where key = 'ozg:10484';
    insert into core.service_maturity (service_id, model, kind, level, valid_from, valid_to)
      select id, '1.1', 'ist', 2, '2024-01-01', '2025-01-01' from core.service where key = 'ozg:10513';
    insert into core.service_maturity (service_id, model, kind, level, valid_from)
      select id, '1.1', 'ist', 3, '2025-01-01' from core.service where key = 'ozg:10513';
    insert into core.service_maturity (service_id, model, kind, level, valid_from)
      select id, '2.0', 'ist', 5, '2025-07-01' from core.service where key = 'ozg:10513';
    insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from)
      select id, '1.1', 'soll', 4, '2026-12-31', '2025-01-01' from core.service where key = 'ozg:10513';
    insert into core.service_maturity (service_id, model, kind, level, valid_from)
      select id, '1.1', 'ist', 1, '2025-01-01' from core.service where key = 'ozg:10484';`);
});
afterAll(async () => {
  await db.close();
});

const filtered = (role: Role, filter: unknown, args = '') =>
  keysAs(db, role, {
    connection: 'services',
    args: `filter: $filter${args}`,
    declarations: '$filter: ServiceFilter',
    variables: { filter },
  });

describe('service filters', () => {
  it('apply operators to the public fields: ids, keys, maturity levels, online', async () => {
    expect(await filtered('anonymous', { maturity11: { gte: 3 } })).toEqual(['ozg:10513']);
    expect(await filtered('anonymous', { online: { eq: true } })).toEqual(['ozg:10513']);
    expect(await filtered('anonymous', { online: { eq: false } })).toEqual(['ozg:10484']);
    expect(await filtered('anonymous', { maturity20: { in: [4, 5] } })).toEqual(['ozg:10513']);
    expect(await filtered('anonymous', { ozgId: { eq: '10513' } })).toEqual(['leika:99012001000000', 'ozg:10513']);
    expect(await filtered('anonymous', { leikaKey: { startsWith: '990130' } })).toEqual(['leika:99013002000000']);
    expect(await filtered('anonymous', { title: { icontains: 'MULL' } })).toEqual(['leika:99013002000000']);
    expect(await filtered('anonymous', { kind: { eq: 'ozg' }, implementationStatus: { ne: 'online' } })).toEqual(['ozg:10484']);
    expect(await filtered('anonymous', { themenfeldKey: { eq: 'themenfeld:13' } })).toEqual(['ozg:10484']);
  });

  it('filter across maturity rows and the parent service', async () => {
    expect(
      await filtered('anonymous', { maturity: { kind: { eq: 'soll' }, level: { gte: 4 }, targetDate: { lt: '2027-01-01' } } }),
    ).toEqual(['ozg:10513']);
    expect(await filtered('anonymous', { maturity: { current: { eq: false } } })).toEqual(['ozg:10513']);
    expect(await filtered('anonymous', { parent: { title: { icontains: 'abbruch' } } })).toEqual(['leika:99012001000000']);
    expect(await filtered('anonymous', { parent: { online: { eq: false } } })).toEqual(['leika:99013002000000']);
    expect(await filtered('anonymous', { not: { maturity: { level: { gte: 0 } } } })).toEqual([
      'leika:99012001000000',
      'leika:99013002000000',
      'local:1',
    ]);
  });

  it('give the steering team the internal org unit, procedure and EfA flag — as fields and as filters', async () => {
    expect(await filtered('steering', { responsibleOrgUnit: { code: { eq: '32' } } })).toEqual(['ozg:10513']);
    expect(await filtered('steering', { procedure: { annualCost: { gt: 10000 } } })).toEqual(['local:1']);
    expect(await filtered('steering', { efa: { eq: false } })).toEqual(['ozg:10484']);
    const data = await queryAs<{ service: unknown }>(
      db,
      'steering',
      '{ service(key: "ozg:10484") { responsibleOrgUnit { code } procedure { key annualCost } efa } }',
    );
    expect(data.service).toEqual({ responsibleOrgUnit: null, procedure: { key: 'FV-1', annualCost: 1200 }, efa: false });
  });

  it('refuse the internal ones to everyone else, nested or not, and the fields too', async () => {
    const q = 'query ($f: ServiceFilter) { services(filter: $f) { totalCount } }';
    for (const f of [
      { efa: { eq: true } },
      { responsibleOrgUnit: { code: { eq: '32' } } },
      { procedure: { name: { icontains: 'gewerbe' } } },
      { parent: { efa: { eq: true } } },
      { or: [{ kind: { eq: 'ozg' } }, { responsibleOrgUnit: { code: { eq: 'nonexistent' } } }] },
    ]) {
      expect(await refusalOf(db, 'anonymous', q, { f })).toEqual(['UNAUTHENTICATED']);
      expect(await refusalOf(db, 'developer', q, { f })).toEqual(['FORBIDDEN']);
    }
    const fields = await refusalOf(db, 'developer', '{ service(key: "ozg:10513") { responsibleOrgUnit { code } procedure { key } efa } }');
    expect(fields).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    // a field the filter type does not have is refused by GraphQL validation before any resolver runs
    await expect(filtered('anonymous', { bogus: { eq: 1 } })).rejects.toBeInstanceOf(GraphQLAnswerError);
  });
});

describe('service order', () => {
  it('sorts by maturity with services without a level last, and by OZG id', async () => {
    expect(await keysAs(db, 'anonymous', { connection: 'services', args: 'orderBy: MATURITY_1_1_DESC' })).toEqual([
      'ozg:10513',
      'ozg:10484',
      'local:1',
      'leika:99013002000000',
      'leika:99012001000000',
    ]);
    expect(await keysAs(db, 'anonymous', { connection: 'services', args: 'orderBy: MATURITY_1_1_ASC' })).toEqual([
      'ozg:10484',
      'ozg:10513',
      'leika:99012001000000',
      'leika:99013002000000',
      'local:1',
    ]);
    expect(await keysAs(db, 'anonymous', { connection: 'services', args: 'orderBy: OZG_ID_ASC' })).toEqual([
      'leika:99013002000000',
      'ozg:10484',
      'leika:99012001000000',
      'ozg:10513',
      'local:1',
    ]);
  });

  it('pages stably under every order, forward and backward', async () => {
    for (const orderBy of ['KEY_DESC', 'TITLE_ASC', 'OZG_ID_DESC', 'MATURITY_1_1_DESC', 'MATURITY_2_0_ASC']) {
      const all = await keysAs(db, 'anonymous', { connection: 'services', args: `orderBy: ${orderBy}` });
      expect(all).toHaveLength(5);
      expect(await walkAs(db, 'anonymous', { connection: 'services', args: `orderBy: ${orderBy}` }, 2)).toEqual(all);
    }
  });
});
