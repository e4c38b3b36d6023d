import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { createPool } from '@hro/api/db';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, runSource } from '@hro/etl';
import { createApp } from '../app.js';
import { listenOnLoopback } from '../testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base = '';
let admin = '';
let steering = '';
// a second pool to the same database stands in for DATABASE_READ_URL's replica
let readPool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog');
  if (!strategy) throw new Error('strategy-catalog missing from sources.yaml');
  expect((await runSource(db.pool, strategy, { log: db.log })).status).toBe('succeeded');
  admin = (await createApiKey(db.pool, { name: 'prometheus', role: 'admin' })).key;
  steering = (await createApiKey(db.pool, { name: 'steering', role: 'steering' })).key;
  readPool = createPool(db.url, 2);
  app = await createApp({ pool: db.pool, readPool, log: db.log, introspection: false });
  base = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await readPool.end();
  await db.close();
});

const scrape = (key?: string) => fetch(`${base}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

/** The value of one sample line of the exposition text, e.g. `hro_etl_rows{source="x",kind="read"}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('/metrics (Prometheus)', () => {
  it('is for admins only', async () => {
    const anon = await scrape();
    expect(anon.status, await anon.clone().text()).toBe(401);
    expect((await scrape(steering)).status).toBe(403);
    const res = await scrape(admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts requests by route pattern, GraphQL operation and status, with latencies', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Vorhaben { initiatives(first: 1) { totalCount } }', operationName: 'Vorhaben' }),
      });
      expect(res.status).toBe(200);
    }
    expect((await fetch(`${base}/api/3/action/package_list`)).status).toBe(200);
    const text = await (await scrape(admin)).text();
    const graphql = { method: 'POST', route: '/graphql', operation: 'Vorhaben', status: '200' };
    expect(sample(text, 'hro_http_request_duration_seconds_count', graphql)).toBe(3);
    expect(sample(text, 'hro_http_request_duration_seconds_sum', graphql)).toBeGreaterThan(0);
    // the route pattern, never the URL: no label per action name or dataset
    expect(sample(text, 'hro_http_request_duration_seconds_count', { route: '/api/3/action/:name', status: '200' })).toBe(1);
    expect(text).not.toContain('route="/api/3/action/package_list"');
  });

  it('reports the ETL per source and the database pool', async () => {
    const text = await (await scrape(admin)).text();
    const { rows } = await db.pool.query<{ rows_read: number; rows_loaded: number }>(
      `select rows_read, rows_loaded from etl.run where source = 'strategy-catalog' and status = 'succeeded'`,
    );
    expect(rows).toHaveLength(1);
    expect(sample(text, 'hro_etl_rows', { source: 'strategy-catalog', kind: 'read' })).toBe(rows[0]?.rows_read);
    expect(sample(text, 'hro_etl_rows', { source: 'strategy-catalog', kind: 'loaded' })).toBe(rows[0]?.rows_loaded);
    expect(sample(text, 'hro_etl_runs', { source: 'strategy-catalog', status: 'succeeded' })).toBe(1);
    expect(sample(text, 'hro_etl_last_run_duration_seconds', { source: 'strategy-catalog', status: 'succeeded' })).toBeGreaterThan(0);
    expect(sample(text, 'hro_etl_last_success_timestamp_seconds', { source: 'strategy-catalog' })).toBeGreaterThan(
      Date.now() / 1000 - 3600,
    );
    expect(sample(text, 'hro_db_pool_connections', { pool: 'primary', state: 'total' })).toBeGreaterThan(0);
    // the read paths' pool is reported beside it once a read used it
    const read = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ services(first: 1) { nodes { key } } }' }),
    });
    expect(read.status).toBe(200);
    const after = await (await scrape(admin)).text();
    expect(sample(after, 'hro_db_pool_connections', { pool: 'read', state: 'total' })).toBeGreaterThan(0);
    expect(sample(after, 'hro_db_pool_connections', { pool: 'read', state: 'waiting' })).toBe(0);
    expect(text).toMatch(/^hro_process_resident_memory_bytes \d+/m);
  });
});
