import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { createLoaders, getSchema, toGlobalId, type GraphQLContext } from '../graphql/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.ozg_topic (key, name, kind) values ('themenfeld:2', 'Bauen & Wohnen', 'themenfeld'), ('themenfeld:13', 'Umwelt', 'themenfeld');
    insert into core.ozg_topic (key, name, kind, parent_id)
      select 'lebenslage:14', 'Bauen & Immobilien', 'lebenslage', id from core.ozg_topic where key = 'themenfeld:2';
    insert into core.service (key, kind, ozg_id, title, description, topic_id, implementation_status_raw)
      select 'ozg:10513', 'ozg', '10513', 'Abbruchgenehmigung', null, id, 'offen' from core.ozg_topic where key = 'lebenslage:14';
    insert into core.service (key, kind, ozg_id, title, topic_id, implementation_status, implementation_status_raw)
      select 'ozg:10484', 'ozg', '10484', 'Abfallentsorgung in der Hohen See', id, 'planned', 'in Planung' from core.ozg_topic where key = 'themenfeld:13';
    insert into core.service (key, kind, leika_key, ozg_id, parent_id, title, topic_id, leika_type, legal_basis, legal_basis_urls)
      select 'leika:99012001000000', 'leika', '99012001000000', '10513', s.id, 'Abbruchgenehmigung Erteilung', s.topic_id, '4',
             '§ 61 Bauordnung', '{http://a.de/x,http://a.de/y}'
      from core.service s where s.key = 'ozg:10513';
    insert into core.service (key, kind, ozg_id, parent_id, title, topic_id)
      select 'leika-local:10513:0123456789ab', 'leika', '10513', s.id, 'Änderungsanzeige 100% Öl_tank', s.topic_id
      from core.service s where s.key = 'ozg:10513';
    insert into core.service_maturity (service_id, model, kind, level, valid_from, valid_to)
      select id, '1.1', 'ist', 2, '2024-01-01 00:00+00', '2025-01-01 00:00+00' from core.service where key = 'ozg:10513';
    insert into core.service_maturity (service_id, model, kind, level, valid_from)
      select id, '1.1', 'ist', 3, '2025-01-01 00:00+00' from core.service where key = 'ozg:10513';
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

interface Result {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string; originalError?: { code?: string } | undefined }[];
}

async function query(source: string, variables: Record<string, unknown> = {}, role: Role = 'anonymous'): Promise<Result> {
  const domain = { viewer: { role }, pool: db.pool, log: db.log };
  const contextValue: GraphQLContext = { ...domain, loaders: createLoaders(domain), requestId: 'test' };
  const result = await graphql({ schema: await getSchema(), source, variableValues: variables, contextValue });
  return result as Result;
}

const keysOf = (data: Result['data'], field = 'services') => (data?.[field] as { nodes: { key: string }[] }).nodes.map((n) => n.key);

describe('services connection', () => {
  it('pages through all services by key, forwards and backwards, for anonymous users', async () => {
    const { rows } = await db.pool.query<{ key: string }>(`select key from open.services order by key`);
    const all = rows.map((r) => r.key);
    expect(all).toHaveLength(4);
    const page = `query ($first: Int, $after: String, $last: Int, $before: String) {
      services(first: $first, after: $after, last: $last, before: $before) {
        totalCount nodes { key } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    const first = await query(page, { first: 3 });
    expect(first.errors).toBeUndefined();
    const conn = first.data?.services as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string; startCursor: string } };
    expect(conn.totalCount).toBe(4);
    expect(keysOf(first.data)).toEqual(all.slice(0, 3));
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const second = await query(page, { first: 3, after: conn.pageInfo.endCursor });
    expect(keysOf(second.data)).toEqual(all.slice(3));
    expect((second.data?.services as { pageInfo: { hasNextPage: boolean } }).pageInfo.hasNextPage).toBe(false);
    const back = await query(page, {
      last: 2,
      before: (second.data?.services as { pageInfo: { startCursor: string } }).pageInfo.startCursor,
    });
    expect(keysOf(back.data)).toEqual(all.slice(1, 3));
  });

  it('filters by kind, online flag, topic, parent and search text', async () => {
    const filtered = async (args: string) => {
      const result = await query(`{ services(first: 100, ${args}) { totalCount nodes { key } } }`);
      expect(result.errors).toBeUndefined();
      return keysOf(result.data).sort();
    };
    expect(await filtered('kind: ozg')).toEqual(['ozg:10484', 'ozg:10513']);
    expect(await filtered('online: true')).toEqual(['ozg:10513']);
    expect(await filtered('online: false')).toEqual(['ozg:10484']);
    expect(await filtered('topic: "themenfeld:2"')).toEqual(['leika-local:10513:0123456789ab', 'leika:99012001000000', 'ozg:10513']);
    expect(await filtered('topic: "Umwelt"')).toEqual(['ozg:10484']);
    expect(await filtered('parent: "ozg:10513", kind: leika')).toEqual(['leika-local:10513:0123456789ab', 'leika:99012001000000']);
    expect(await filtered('search: "anderungsanzeige"')).toEqual(['leika-local:10513:0123456789ab']);
    expect(await filtered('search: "100% Öl_"')).toEqual(['leika-local:10513:0123456789ab']);
    expect(await filtered('search: "_"')).toEqual(['leika-local:10513:0123456789ab']);
    expect(await filtered('search: "99012001000000"')).toEqual(['leika:99012001000000']);
    expect(await filtered('search: "10484"')).toEqual(['ozg:10484']);
  });

  it('shows one service with topic, parent, links, current maturity and its history; also as a node', async () => {
    const fields = `key kind leikaKey ozgId title online implementationStatus implementationStatusRaw legalBasis legalBasisUrls
      topic { key kind name parent { key kind name } } parent { key title }
      maturity { model kind level targetDate validTo online } history: maturity(history: true) { model kind level validTo }`;
    const { data, errors } = await query(
      `{ service(key: "ozg:10513") { id ${fields} } leika: service(key: "leika:99012001000000") { ${fields} } }`,
    );
    expect(errors).toBeUndefined();
    const service = data?.service as Record<string, unknown>;
    expect(service).toMatchObject({
      key: 'ozg:10513',
      kind: 'ozg',
      leikaKey: null,
      ozgId: '10513',
      online: true,
      implementationStatus: null,
      implementationStatusRaw: 'offen',
      legalBasisUrls: [],
      topic: {
        key: 'lebenslage:14',
        kind: 'lebenslage',
        name: 'Bauen & Immobilien',
        parent: { key: 'themenfeld:2', kind: 'themenfeld', name: 'Bauen & Wohnen' },
      },
      parent: null,
    });
    expect(service.maturity).toEqual([
      { model: '1.1', kind: 'ist', level: 3, targetDate: null, validTo: null, online: true },
      { model: '1.1', kind: 'soll', level: 4, targetDate: '2026-12-31', validTo: null, online: true },
      { model: '2.0', kind: 'ist', level: 5, targetDate: null, validTo: null, online: null },
    ]);
    expect((service.history as { level: number; validTo: string | null }[]).map((m) => [m.level, m.validTo])).toEqual([
      [2, '2025-01-01T00:00:00.000Z'],
      [3, null],
      [4, null],
      [5, null],
    ]);
    expect(data?.leika).toMatchObject({
      leikaKey: '99012001000000',
      ozgId: '10513',
      legalBasis: '§ 61 Bauordnung',
      legalBasisUrls: ['http://a.de/x', 'http://a.de/y'],
      parent: { key: 'ozg:10513', title: 'Abbruchgenehmigung' },
      maturity: [],
      online: null,
    });

    const node = await query(`query ($id: ID!) { node(id: $id) { id ... on Service { key title } } }`, { id: service.id }, 'steering');
    expect(node.data?.node).toEqual({ id: toGlobalId('Service', 'ozg:10513'), key: 'ozg:10513', title: 'Abbruchgenehmigung' });
  });

  it('answers NOT_FOUND for an unknown key and refuses a bad cursor', async () => {
    const missing = await query(`{ service(key: "ozg:99999") { key } }`);
    expect(missing.errors?.[0]?.originalError?.code).toBe('NOT_FOUND');
    const cursor = await query(`{ services(first: 1, after: "nope") { nodes { key } } }`);
    expect(cursor.errors?.[0]?.originalError?.code).toBe('BAD_USER_INPUT');
  });
});
