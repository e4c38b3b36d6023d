// The persisted-operation allowlist (HRO_GRAPHQL_ALLOWLIST) over real HTTP: calls by hash with
// GET (cacheable), enforcement for anonymous users and developers, and the checks at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '@hro/api';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { getSchema, loadPersistedOperations, sha256Hex } from '@hro/api/graphql';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from './app.js';

const datasets = 'query Datasets { datasets(first: 3) { nodes { name } } }';
const orgUnit = 'query OrgUnit($code: String!) { orgUnit(code: $code) { code name } }';
const units = 'query Units { orgUnits(first: 1) { nodes { code } } }';
const other = '{ orgUnits(first: 5) { nodes { code } } }';

let db: TestDatabase;
let dir: string;
let enforcing: { app: FastifyInstance; base: string };
let lookup: { app: FastifyInstance; base: string };
const keys: Record<'developer' | 'steering', string> = { developer: '', steering: '' };

async function start(mode: 'enforce' | 'lookup') {
  const persistedOperations = loadPersistedOperations(join(dir, 'allowlist.json'), mode, await getSchema());
  const app = await createApp({ pool: db.pool, log: db.log, introspection: false, cacheUrl: db.url, persistedOperations });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await db.pool.query(
    `insert into core.org_unit (code, name, kind) values ('06', 'Amt für Digitalisierung', 'amt'), ('10', 'Hauptamt', 'amt')`,
  );
  dir = mkdtempSync(join(tmpdir(), 'hro-allowlist-'));
  writeFileSync(
    join(dir, 'allowlist.json'),
    JSON.stringify({ [sha256Hex(datasets)]: datasets, [sha256Hex(orgUnit)]: orgUnit, [sha256Hex(units)]: units }),
  );
  enforcing = await start('enforce');
  lookup = await start('lookup');
  for (const role of ['developer', 'steering'] as const) keys[role] = (await createApiKey(db.pool, { name: role, role })).key;
});
afterAll(async () => {
  await enforcing.app.close();
  await lookup.app.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

/** GET by hash, as an HTTP cache or a CDN would forward it (Apollo's CSRF rule asks for a preflight header on GET). */
async function get(base: string, hash: string, variables?: Record<string, unknown>, key?: string): Promise<Answer> {
  const params = new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }) });
  if (variables) params.set('variables', JSON.stringify(variables));
  return answer(
    await fetch(`${base}/graphql?${params.toString()}`, {
      headers: { 'apollo-require-preflight': 'true', ...(key ? { authorization: key } : {}) },
    }),
  );
}

async function post(base: string, body: Record<string, unknown>, key?: string): Promise<Answer> {
  return answer(
    await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: key } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

const codes = (a: Answer) => a.body.errors?.map((e) => e.extensions?.code);

describe('persisted operations by hash', () => {
  it('run with GET, and anonymous answers may be kept by shared caches for a minute', async () => {
    const res = await get(enforcing.base, sha256Hex(orgUnit), { code: '06' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { orgUnit: { code: '06', name: 'Amt für Digitalisierung' } } });
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('vary')).toMatch(/authorization/i);
    const keyed = await get(enforcing.base, sha256Hex(orgUnit), { code: '10' }, keys.steering);
    expect(keyed.body.data).toEqual({ orgUnit: { code: '10', name: 'Hauptamt' } });
    expect(keyed.headers.get('cache-control')).toBe('private, no-store');
  });

  it('keep apart in the response cache: two operations called by hash alone answer each their own', async () => {
    for (let round = 0; round < 2; round++) {
      const a = await get(enforcing.base, sha256Hex(datasets));
      const b = await get(enforcing.base, sha256Hex(units));
      expect(Object.keys(a.body.data ?? {})).toEqual(['datasets']);
      expect(b.body.data).toEqual({ orgUnits: { nodes: [{ code: '06' }] } });
      expect(b.headers.get('x-hro-cache')).toBe(round === 0 ? 'miss' : 'hit');
    }
  });

  it('answer an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    const res = await get(enforcing.base, sha256Hex('{ pillars { key } }'));
    expect(codes(res)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(res.headers.get('cache-control')).not.toMatch(/public/);
  });
});

describe('enforce mode', () => {
  it('runs a listed document sent as text, but refuses any other for anonymous users and developers', async () => {
    expect((await post(enforcing.base, { query: datasets })).body.data).toHaveProperty('datasets');
    for (const key of [undefined, keys.developer]) {
      const refused = await post(enforcing.base, { query: other }, key);
      expect(refused.status).toBe(403);
      expect(codes(refused)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
      expect(refused.body.data).toBeUndefined();
    }
    // not even parsed: a syntax error is refused the same way, not reported as one
    expect(codes(await post(enforcing.base, { query: '{ broken' }))).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  });

  it('lets nobody limited register a document on the fly (automatic persisted queries)', async () => {
    const hash = sha256Hex(other);
    const registering = await post(enforcing.base, { query: other, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(codes(registering)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(codes(await get(enforcing.base, hash))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('does not limit the steering team', async () => {
    const res = await post(enforcing.base, { query: other }, keys.steering);
    expect(res.body).toEqual({ data: { orgUnits: { nodes: [{ code: '06' }, { code: '10' }] } } });
  });
});

describe('lookup mode', () => {
  it('resolves listed hashes and still runs any other document', async () => {
    expect((await get(lookup.base, sha256Hex(orgUnit), { code: '06' })).body.data).toEqual({
      orgUnit: { code: '06', name: 'Amt für Digitalisierung' },
    });
    expect((await post(lookup.base, { query: other })).body).toEqual({ data: { orgUnits: { nodes: [{ code: '06' }, { code: '10' }] } } });
  });
});

describe('the allowlist file', () => {
  const write = (name: string, content: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const problem = async (file: string) => {
    try {
      loadPersistedOperations(file, 'enforce', await getSchema());
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).message;
    }
    return 'accepted';
  };

  it('is checked at start: hashes, documents against the schema, the JSON itself', async () => {
    expect(await problem(write('mismatch.json', { [sha256Hex('{ x }')]: datasets }))).toMatch(
      /^HRO_GRAPHQL_ALLOWLIST: .*mismatch\.json: [0-9a-f]{64} is not the SHA-256 of its document$/,
    );
    expect(await problem(write('unknown-field.json', { [sha256Hex('{ nope }')]: '{ nope }' }))).toMatch(/Cannot query field "nope"/);
    expect(await problem(write('syntax.json', { [sha256Hex('{ x')]: '{ x' }))).toMatch(/Syntax Error/);
    expect(await problem(write('upper.json', { [sha256Hex(datasets).toUpperCase()]: datasets }))).toMatch(/not a lower-case SHA-256/);
    expect(await problem(write('broken.json', '{ "a": '))).toMatch(/^HRO_GRAPHQL_ALLOWLIST: .*broken\.json: /);
    expect(await problem(join(dir, 'missing.json'))).toMatch(/missing\.json: no such file$/);
  });

  it('may also be an Apollo persisted-query manifest', async () => {
    const file = write('manifest.json', {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256Hex(orgUnit), name: 'OrgUnit', type: 'query', body: orgUnit }],
    });
    const loaded = loadPersistedOperations(file, 'lookup', await getSchema());
    expect([...loaded.documents.keys()]).toEqual([sha256Hex(orgUnit)]);
    expect(loaded.mode).toBe('lookup');
  });
});
