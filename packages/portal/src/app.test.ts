import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey, readDeclarations, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from './app.js';
import { listenOnLoopback } from './testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
// every declared, non-private dataset, sorted by name as CKAN lists them
const published = readDeclarations()
  .datasets.filter((d) => !d.private)
  .map((d) => d.name)
  .sort();

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  app = await createApp({ pool: db.pool, log: db.log, introspection: true });
  baseUrl = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function graphql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

describe('CKAN Action API', () => {
  it('answers status_show in CKAN envelope', async () => {
    const res = await fetch(`${baseUrl}/api/3/action/status_show`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      help: `${baseUrl}/api/3/action/help_show?name=status_show`,
      success: true,
      result: {
        site_title: 'HRO Datenplattform',
        site_description: 'Offene Daten und Steuerungsdaten der Digitalen Verwaltung Rostock 2030',
        site_url: baseUrl,
        ckan_version: '2.11.0',
        error_emails_to: null,
        locale_default: 'de',
        extensions: ['datastore', 'dcat'],
      },
    });
  });

  it('lists the published datasets with package_list, on both paths and by POST, with paging', async () => {
    const expected = {
      help: `${baseUrl}/api/3/action/help_show?name=package_list`,
      success: true,
      result: published,
    };
    expect(published).toEqual(
      expect.arrayContaining(['digitalisierungsprojekte-informationsvorlage', 'vorhaben-digitale-verwaltung-rostock-2030']),
    );
    expect(await (await fetch(`${baseUrl}/api/3/action/package_list`)).json()).toEqual(expected);
    expect(await (await fetch(`${baseUrl}/api/action/package_list`)).json()).toEqual(expected);
    const posted = await fetch(`${baseUrl}/api/3/action/package_list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"limit": 1, "offset": 1}',
    });
    expect(await posted.json()).toEqual({ ...expected, result: published.slice(1, 2) });
  });

  it('keeps internal datasets out of package_list (as CKAN, for everyone) and shows them to steering in package_search', async () => {
    await db.pool.query(`insert into catalog.dataset (name, title, private) values ('interne-steuerung', 'Intern', true)`);
    try {
      const anon = (await (await fetch(`${baseUrl}/api/3/action/package_list`)).json()) as { result: string[] };
      expect(anon.result).not.toContain('interne-steuerung');
      const { key } = await createApiKey(db.pool, { name: 'test steering', role: 'steering' });
      const steering = (await (await fetch(`${baseUrl}/api/3/action/package_list`, { headers: { authorization: key } })).json()) as {
        result: string[];
      };
      expect(steering.result).not.toContain('interne-steuerung');
      const search = (await (
        await fetch(`${baseUrl}/api/3/action/package_search?q=name:interne-steuerung&include_private=true`, {
          headers: { authorization: key },
        })
      ).json()) as { result: { count: number } };
      expect(search.result.count).toBe(1);
    } finally {
      await db.pool.query(`delete from catalog.dataset where name = 'interne-steuerung'`);
    }
  });

  it('answers errors in CKAN shape: unknown action, bad parameter, bad key', async () => {
    const unknown = await fetch(`${baseUrl}/api/3/action/no_such_action`);
    expect(unknown.status).toBe(400);
    // CKAN answers an unknown action with a bare JSON string, not an envelope
    expect(await unknown.json()).toEqual('Bad request - Action name not known: no_such_action');
    const bad = await fetch(`${baseUrl}/api/3/action/package_list?limit=-1`);
    expect(bad.status).toBe(409);
    expect(await bad.json()).toEqual({
      help: `${baseUrl}/api/3/action/help_show?name=package_list`,
      success: false,
      error: { limit: ['Must be a natural number'], __type: 'Validation Error' },
    });
    const badKey = await fetch(`${baseUrl}/api/3/action/package_list`, { headers: { authorization: 'not-a-key' } });
    expect(badKey.status).toBe(401);
    expect(((await badKey.json()) as { error: { __type: string } }).error.__type).toBe('Authorization Error');
    expect(await (await fetch(`${baseUrl}/api/3`)).json()).toEqual({ version: 3 });
  });
});

describe('GraphQL', () => {
  it('returns all 33 initiatives and 10 projects to anonymous users, as connections', async () => {
    const { body } = await graphql(`
      {
        initiatives(first: 100) {
          totalCount
          edges {
            cursor
            node {
              key
              title
              field {
                key
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        projects(first: 100) {
          totalCount
          nodes {
            key
            title
            status
            goals
          }
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    const initiatives = body.data?.initiatives as {
      totalCount: number;
      edges: { node: { key: string } }[];
      pageInfo: { hasNextPage: boolean };
    };
    expect(initiatives.totalCount).toBe(33);
    expect(initiatives.edges.map((e) => e.node.key)).toEqual(Array.from({ length: 33 }, (_, i) => `V${String(i + 1).padStart(2, '0')}`));
    expect(initiatives.pageInfo.hasNextPage).toBe(false);
    const projects = body.data?.projects as { totalCount: number; nodes: { key: string; goals: string[] }[] };
    expect(projects.totalCount).toBe(10);
    expect(projects.nodes.find((p) => p.key === 'P001/19')?.goals.length).toBeGreaterThan(3);
  });

  it('pages forward and backward with cursors that survive inserts before them', async () => {
    const first = await graphql(`
      {
        initiatives(first: 5) {
          edges {
            cursor
            node {
              key
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    `);
    const page1 = first.body.data?.initiatives as {
      edges: { node: { key: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    expect(page1.edges.map((e) => e.node.key)).toEqual(['V01', 'V02', 'V03', 'V04', 'V05']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    await db.pool.query(
      `insert into core.initiative (key, title, field_id) values ('V00', 'Eingefügt', (select id from core.navigator_field order by position limit 1))`,
    );
    try {
      const second = await graphql(
        `
          query ($after: String) {
            initiatives(first: 3, after: $after) {
              nodes {
                key
              }
            }
          }
        `,
        { after: page1.pageInfo.endCursor },
      );
      expect((second.body.data?.initiatives as { nodes: { key: string }[] }).nodes.map((n) => n.key)).toEqual(['V06', 'V07', 'V08']);
    } finally {
      await db.pool.query(`delete from core.initiative where key = 'V00'`);
    }
    const back = await graphql(`
      {
        initiatives(last: 2) {
          nodes {
            key
          }
          pageInfo {
            hasPreviousPage
          }
        }
      }
    `);
    expect(back.body.data?.initiatives).toEqual({ nodes: [{ key: 'V32' }, { key: 'V33' }], pageInfo: { hasPreviousPage: true } });
  });

  it('serves the org-unit tree, navigator fields with pillars, and node(id)', async () => {
    const { body } = await graphql(`
      {
        orgUnit(code: "06") {
          name
          children {
            code
            parent {
              code
            }
          }
        }
        navigatorFields {
          key
          pillar {
            key
          }
          initiatives(first: 100) {
            nodes {
              key
            }
          }
        }
        pillars {
          key
          fields {
            key
          }
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    const amt = body.data?.orgUnit as { children: { code: string; parent: { code: string } }[] };
    expect(amt.children.map((c) => c.code)).toEqual(expect.arrayContaining(['06.3', '06.5']));
    expect(amt.children.every((c) => c.parent.code === '06')).toBe(true);
    const fields = body.data?.navigatorFields as { key: string; initiatives: { nodes: unknown[] } }[];
    expect(fields.map((f) => f.key)).toEqual([
      'fachverfahren',
      'ozg',
      'dms',
      'data_management',
      'change_management',
      'kommunikation_kollaboration',
    ]);
    expect(fields.reduce((sum, f) => sum + f.initiatives.nodes.length, 0)).toBe(33);
    const one = await graphql(`
      {
        initiative(key: "V09") {
          id
        }
      }
    `);
    const id = (one.body.data?.initiative as { id: string }).id;
    const node = await graphql(
      `
        query ($id: ID!) {
          node(id: $id) {
            __typename
            ... on Initiative {
              key
              responsibleOrgUnit {
                code
                parent {
                  code
                }
              }
            }
          }
        }
      `,
      { id },
    );
    expect(node.body.data?.node).toEqual({
      __typename: 'Initiative',
      key: 'V09',
      responsibleOrgUnit: { code: '06.32', parent: { code: '06.3' } },
    });
  });

  it('tells where a row comes from (lineage): run, source, position', async () => {
    const { body } = await graphql(`
      {
        initiative(key: "V01") {
          lineage {
            runId
            source
            loadedAt
            position
            runQuarantined
          }
        }
        project(key: "P006/20") {
          lineage {
            source
            position
          }
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    const lineage = (body.data?.initiative as { lineage: { runId: number; source: string; loadedAt: string; position: string } }).lineage;
    expect(lineage).toMatchObject({
      source: 'strategy-catalog',
      position: expect.stringMatching(/^initiatives\.yaml:\d+$/) as string,
      runQuarantined: 0,
    });
    expect(lineage.runId).toBeGreaterThan(0);
    expect(Date.parse(lineage.loadedAt)).not.toBeNaN();
    expect((body.data?.project as { lineage: unknown }).lineage).toMatchObject({
      source: 'strategy-catalog',
      position: expect.stringMatching(/^projects\.yaml:\d+$/) as string,
    });
  });

  it('answers bad input and missing objects with stable codes, never internals', async () => {
    const badCursor = await graphql(`
      {
        initiatives(first: 2, after: "garbage") {
          nodes {
            key
          }
        }
      }
    `);
    expect(badCursor.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await graphql(`
      {
        initiatives(first: 1000) {
          nodes {
            key
          }
        }
      }
    `);
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await graphql(`
      {
        project(key: "P999/99") {
          key
        }
      }
    `);
    expect(missing.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', details: { what: 'Project', key: 'P999/99' } });
    const invalid = await graphql(`
      {
        nosuchfield
      }
    `);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify([badCursor.body, missing.body, invalid.body])).not.toMatch(/stack|at .*\.ts:\d+|select /i);
  });

  it('shows internal projects to the steering team only', async () => {
    await db.pool.query(
      `insert into core.project (key, title, source, status) values ('P900/26', 'Internes Projekt', 'openproject', 'in_progress')`,
    );
    try {
      const anon = await graphql(`
        {
          projects(first: 100) {
            nodes {
              key
            }
          }
        }
      `);
      expect((anon.body.data?.projects as { nodes: { key: string }[] }).nodes.map((n) => n.key)).not.toContain('P900/26');
      const anonOne = await graphql(`
        {
          project(key: "P900/26") {
            key
          }
        }
      `);
      expect(anonOne.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const { key } = await createApiKey(db.pool, { name: 'steering', role: 'steering' });
      const steering = await graphql(
        `
          {
            projects(first: 100) {
              totalCount
              nodes {
                key
              }
            }
          }
        `,
        {},
        { authorization: `Bearer ${key}` },
      );
      expect((steering.body.data?.projects as { totalCount: number; nodes: { key: string }[] }).nodes.map((n) => n.key)).toContain(
        'P900/26',
      );
    } finally {
      await db.pool.query(`delete from core.project where key = 'P900/26'`);
    }
  });
});

describe('GraphQL for admins and KPIs', () => {
  it('serves ETL runs and their quarantine to admins only, and creates keys', async () => {
    const anon = await graphql(`
      {
        etlRuns(first: 5) {
          nodes {
            id
          }
        }
      }
    `);
    expect(anon.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const { key } = await createApiKey(db.pool, { name: 'admin', role: 'admin' });
    const auth = { authorization: `Bearer ${key}` };
    const runs = await graphql(
      `
        {
          etlRuns(first: 5, source: "strategy-catalog") {
            nodes {
              id
              source
              status
              rowsRead
              rowsLoaded
              rowsUnchanged
              rowsQuarantined
            }
          }
        }
      `,
      {},
      auth,
    );
    const nodes = (runs.body.data?.etlRuns as { nodes: { source: string; status: string; rowsRead: number }[] }).nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes[0]).toMatchObject({ source: 'strategy-catalog', status: 'succeeded' });
    const created = await graphql(
      `
        mutation {
          createApiKey(name: "Entwickler", role: developer) {
            key
            apiKey {
              role
              status
            }
          }
        }
      `,
      {},
      auth,
    );
    expect(created.body.data?.createApiKey).toMatchObject({ apiKey: { role: 'developer', status: 'active' } });
    const developerKey = (created.body.data?.createApiKey as { key: string }).key;
    const refused = await graphql(
      `
        {
          apiKeys {
            id
          }
        }
      `,
      {},
      { authorization: developerKey },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers the KPI catalog and a KPI with its time series', async () => {
    const { body } = await graphql(`
      {
        kpis {
          id
          unit
          internal
        }
        kpi(id: "initiatives.progress", groupBy: ["field"]) {
          runId
          values {
            dimensions
            value
            suppressed
          }
        }
        kpiSeries(id: "initiatives.progress", groupBy: []) {
          runId
          value
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    const kpis = body.data?.kpis as { id: string; internal: boolean }[];
    expect(kpis.some((k) => k.internal)).toBe(false);
    const values = (body.data?.kpi as { values: { dimensions: { field: string }; value: number | null }[] }).values;
    expect(values.map((v) => v.dimensions.field).sort()).toEqual([
      'change_management',
      'data_management',
      'dms',
      'fachverfahren',
      'kommunikation_kollaboration',
      'ozg',
    ]);
    expect((body.data?.kpiSeries as { value: number }[]).at(-1)?.value).toBe(33);
  });
});

describe('portal page', () => {
  it('lists the published datasets on German pages: the start page links to the search listing them all', async () => {
    const res = await fetch(`${baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const start = (await res.text()).replace(/\s+/g, ' ');
    expect(start).toMatch(/<html lang="de">/);
    expect(start).toContain(`Alle ${published.length} Datensätze anzeigen`);
    expect(start).toContain('href="#inhalt"');
    const page = (await (await fetch(`${baseUrl}/dataset`)).text()).replace(/\s+/g, ' ');
    expect(page).toContain('Vorhaben der Strategie „Digitale Verwaltung Rostock 2030“');
    expect(page).toContain('Digitalisierungsprojekte der Stadtverwaltung');
    expect(page).toContain(`${published.length} Datensätze gefunden`);
  });

  it('escapes metadata', async () => {
    await db.pool.query(
      `update catalog.dataset set title = '<script>alert(1)</script>' where name = 'digitalisierungsprojekte-informationsvorlage'`,
    );
    try {
      const page = await (await fetch(`${baseUrl}/dataset`)).text();
      expect(page).not.toContain('<script>alert(1)</script>');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    } finally {
      await syncCatalog(db.pool);
    }
  });

  it('answers health and readiness', async () => {
    expect(await (await fetch(`${baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
  });
});
