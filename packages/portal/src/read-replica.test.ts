// DATABASE_READ_URL: the read paths go to a second connection, the writes stay on the primary.
// The "replica" is a second database with the same data but one title changed, reached through a
// role with default_transaction_read_only = on (as a hot standby refuses writes) — so every
// answer shows where it was read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createPool } from '@hro/api/db';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, runSource } from '@hro/etl';
import { createApp } from './app.js';
import { listenOnLoopback } from './testing.js';

const DATASET = 'vorhaben-digitale-verwaltung-rostock-2030';
const REPLICA_TITLE = 'Aus der Replik';

let primary: TestDatabase;
let replica: TestDatabase;
let readPool: pg.Pool;
let reader: string;
let app: FastifyInstance;
let base: string;
let adminKey: string;

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.HRO_TEST_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  [primary, replica] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog');
  if (!strategy) throw new Error('strategy-catalog source missing');
  for (const db of [primary, replica]) {
    await syncCatalog(db.pool);
    await runSource(db.pool, strategy, { log: db.log });
  }
  await replica.pool.query(`update core.initiative set title = $1 where key = 'V01'`, [REPLICA_TITLE]);
  await replica.pool.query(`update catalog.dataset set title = 'Replik: ' || title where name = $1`, [DATASET]);
  const { rows } = await primary.pool.query<{ version: number }>('select version from core.data_version');
  await replica.pool.query('update core.data_version set version = $1', [rows[0]?.version ?? 0]);

  reader = `hro_reader_${replica.name.slice(-12)}`;
  await adminQuery(`create role ${reader} login password 'reader'`);
  await adminQuery(`alter role ${reader} set default_transaction_read_only = on`);
  await replica.pool.query(`
    do $$ declare s text; begin
      for s in select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema' loop
        execute format('grant usage on schema %I to ${reader}', s);
        execute format('grant select on all tables in schema %I to ${reader}', s);
      end loop;
    end $$`);
  const url = new URL(replica.url);
  url.username = reader;
  url.password = 'reader';
  readPool = createPool(url.toString(), 3);

  adminKey = (await createApiKey(primary.pool, { name: 'Betrieb', role: 'admin' })).key;
  app = await createApp({ pool: primary.pool, readPool, log: primary.log, introspection: true, cacheUrl: primary.url });
  base = await listenOnLoopback(app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await readPool?.end();
  await primary?.close();
  await replica?.close();
  if (reader) await adminQuery(`drop role if exists ${reader}`);
});

async function graphql(query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { cache: res.headers.get('x-hro-cache'), body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
}

const initiativeTitle = '{ initiative(key: "V01") { title } }';

describe('DATABASE_READ_URL', () => {
  it('is read-only: a write through the read pool is refused', async () => {
    await expect(readPool.query('update core.data_version set version = version + 1')).rejects.toThrow(/read-only transaction/);
  });

  it('runs GraphQL queries on the read pool and mutations on the primary', async () => {
    const read = await graphql(initiativeTitle);
    expect(read.body.data).toEqual({ initiative: { title: REPLICA_TITLE } });

    const created = await graphql('mutation { createApiKey(name: "Nur primär", role: developer) { apiKey { id } } }', {
      authorization: adminKey,
    });
    expect(created.body.errors).toBeUndefined();
    const count = async (db: TestDatabase) =>
      (await db.pool.query<{ n: number }>(`select count(*)::int as n from core.api_key where name = 'Nur primär'`)).rows[0]?.n;
    expect(await count(primary)).toBe(1);
    expect(await count(replica)).toBe(0);
    // the admin's audit entry went to the primary with the key
    const audit = await primary.pool.query(`select 1 from core.audit_log where action = 'apikey.create'`);
    expect(audit.rowCount).toBe(1);
  });

  it('serves CKAN actions, downloads and pages from the read pool', async () => {
    const show = (await (await fetch(`${base}/api/3/action/package_show?id=${DATASET}`)).json()) as {
      result: { title: string; resources: { id: string; format: string }[] };
    };
    expect(show.result.title).toMatch(/^Replik: /);

    const resource = show.result.resources.find((r) => r.format.toUpperCase() === 'CSV') ?? show.result.resources[0];
    const csv = await fetch(`${base}/dataset/${DATASET}/resource/${resource?.id ?? ''}/download?format=csv`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain(REPLICA_TITLE);

    const page = await fetch(`${base}/dataset/${DATASET}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Replik: ');
  });

  it('does not cache a lagging replica’s answer under the primary’s newer data version', async () => {
    const q = '{ initiative(key: "V02") { title } }';
    await graphql(q);
    expect((await graphql(q)).cache).toBe('hit');

    // the primary commits a change (as an ETL run does); the replica has not replayed it yet
    await primary.pool.query(`
      with v as (update core.data_version set version = version + 1 returning version)
      select pg_notify('hro_data_version', version::text) from v`);
    let cache: string | null = 'hit';
    for (let i = 0; i < 100 && cache === 'hit'; i++) {
      cache = (await graphql(q)).cache;
      if (cache === 'hit') await new Promise((r) => setTimeout(r, 20));
    }
    expect(cache).toBe('miss');
    expect((await graphql(q)).cache).toBe('miss');

    // the replica catches up: its answer may now be kept
    await replica.pool.query(`update core.data_version set version = version + 1`);
    expect((await graphql(q)).cache).toBe('miss');
    expect((await graphql(q)).cache).toBe('hit');
  });
});
