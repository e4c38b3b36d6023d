// The typed client example (examples/services-online, issue 10): graphql-codegen writes its typed
// documents from schema/schema.graphql, tsc builds it, and the built app runs against a real
// server on the OZG sample data. Its counts per Amt must be what SQL counts in the database.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { createApiKey } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, runSource } from '@hro/etl';
import { createApp } from '@hro/portal';

const run = promisify(execFile);
const example = join(repoRoot, 'examples', 'services-online');
// the example's binaries are shell scripts that call `node`: put this Node (24) first
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };

interface Report {
  endpoint: string;
  orgUnitsVisible: boolean;
  total: number;
  amter: {
    code: string | null;
    name: string;
    online: number;
    endToEnd: number;
    services: { key: string; title: string; level: number | null }[];
  }[];
}

let db: TestDatabase;
let app: Awaited<ReturnType<typeof createApp>>;
let endpoint: string;

/** Runs the built app; resolves with its exit code and output (a non-zero exit is a result, not a throw). */
async function runExample(args: string[], extraEnv: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/main.js', ...args], { cwd: example, env: { ...env, ...extraEnv } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  // codegen + tsc from scratch, as a developer would after cloning (src/gql and dist are not committed)
  rmSync(join(example, 'src', 'gql'), { recursive: true, force: true });
  rmSync(join(example, 'dist'), { recursive: true, force: true });
  const bin = (name: string) => join(example, 'node_modules', '.bin', name);
  const building = (async () => {
    await run(bin('graphql-codegen'), ['--config', 'codegen.ts', '--silent'], { cwd: example, env });
    await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: example, env });
  })();

  db = await createTestDatabase();
  const sources = loadSources();
  for (const name of ['strategy-catalog', 'ozg-katalog']) {
    const source = sources.find((s) => s.name === name);
    if (!source) throw new Error(`source ${name} missing in sources.yaml`);
    expect((await runSource(db.pool, source, { log: db.log })).status).toBe('succeeded');
  }
  // The samples carry no maturity levels (the 2019 catalog has none, see packages/etl/data/ozg)
  // and the responsible org unit is internal: seed both. 300 OZG services get an IST level of
  // model 1.1 (3 and 4 are online: 180, two pages of 100); the online ones go, in uneven shares,
  // to Bereiche two and one levels down (06.32, 06.3 → Amt 06), a Bereich (32.2 → 32), an Amt
  // (10), an office without number (fundbuero) or none.
  await db.pool.query(`
    insert into core.service_maturity (service_id, model, kind, level, valid_from, origin)
    select id, '1.1', 'ist', (array[3, 4, 2, 3, 1])[n % 5 + 1], now(), 'source'
    from (select id, row_number() over (order by key) as n from core.service where kind = 'ozg') s
    where n <= 300`);
  const { rowCount } = await db.pool.query(`
    with online as (select key, row_number() over (order by key) as n from open.services where online)
    update core.service s
    set responsible_org_unit_id = (select id from core.org_unit where code = (array['06.32', '06.3', '32.2', '32.2', '32.2', '10', 'fundbuero'])[online.n % 8 + 1])
    from online where online.key = s.key and online.n % 8 < 7`);
  expect(rowCount).toBe(158);

  app = await createApp({ pool: db.pool, log: db.log, introspection: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  await building;
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** What the database says: online services (model 1.1 IST ≥ 3) per Amt, the top of the org unit tree. */
async function expectedPerAmt(withOrgUnits: boolean) {
  const { rows } = await db.pool.query<{ code: string | null; name: string | null; online: number; end_to_end: number; keys: string[] }>(`
    with recursive up as (
      select o.id as start_id, o.id, o.parent_id, o.code, o.name from core.org_unit o
      union all
      select up.start_id, p.id, p.parent_id, p.code, p.name from up join core.org_unit p on p.id = up.parent_id
    )
    select ${withOrgUnits ? 'amt.code, amt.name' : 'null::text as code, null::text as name'},
           count(*)::int as online, count(*) filter (where s.maturity_1_1 >= 4)::int as end_to_end,
           array_agg(s.key order by s.key) as keys
    from open.services s
    join core.service cs on cs.key = s.key
    left join up amt on amt.start_id = cs.responsible_org_unit_id and amt.parent_id is null
    where s.online
    group by 1, 2`);
  return rows
    .map((r) => ({ code: r.code, name: r.name ?? 'ohne Angabe', online: r.online, endToEnd: r.end_to_end, keys: r.keys }))
    .sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code.localeCompare(b.code, 'de')));
}

/** A report's groups in the shape of expectedPerAmt. */
const groupsOf = (report: Report) =>
  report.amter.map(({ code, name, online, endToEnd, services }) => ({
    code,
    name,
    online,
    endToEnd,
    keys: services.map((x) => x.key).sort((a, b) => (a < b ? -1 : 1)),
  }));

describe('examples/services-online', () => {
  it('with a steering key: every online service once, counted per Amt as SQL counts them, paged past 100', async () => {
    const { key } = await createApiKey(db.pool, { name: 'example steering', role: 'steering' });
    const result = await runExample([endpoint, '--json'], { HRO_API_KEY: key });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const expected = await expectedPerAmt(true);
    expect(groupsOf(report)).toEqual(expected);
    expect(expected.map((g) => g.code)).toEqual(expect.arrayContaining(['06', '10', '32', 'fundbuero', null]));

    const { rows } = await db.pool.query<{ key: string; title: string; level: number }>(
      `select key, title, maturity_1_1 as level from open.services where online order by key`,
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(report.total).toBe(rows.length);
    const listed = report.amter.flatMap((g) => g.services).sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(listed).toEqual(rows);
    expect(report).toMatchObject({ endpoint, orgUnitsVisible: true });
  });

  it('anonymously (and with a developer key): the same services, without the internal Amt; a readable table', async () => {
    const expected = await expectedPerAmt(false);
    const anonymous = await runExample([endpoint, '--json']);
    expect(anonymous.code).toBe(0);
    const report = JSON.parse(anonymous.stdout) as Report;
    expect(report.orgUnitsVisible).toBe(false);
    expect(groupsOf(report)).toEqual(expected);

    // a developer key may not read the org unit either: the app notices the FORBIDDEN fields
    const { key } = await createApiKey(db.pool, { name: 'example developer', role: 'developer' });
    const developer = await runExample([endpoint, '--json'], { HRO_API_KEY: key });
    expect(developer.code).toBe(0);
    expect(JSON.parse(developer.stdout)).toEqual(report);

    const text = await runExample([], { HRO_API_URL: endpoint });
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`Online-Dienste je Amt (OZG-Reifegradmodell 1.1, Stufe ≥ 3) – ${endpoint}`);
    expect(lines).toContainEqual(expect.stringMatching(/^Amt\s+Name\s+online\s+davon Ende-zu-Ende$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^–\\s+ohne Angabe\\s+${report.total}\\s+${expected[0]?.endToEnd}$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\s+gesamt\\s+${report.total}\\s+`)));
    expect(text.stdout).toContain('Hinweis: Die Zuständigkeit eines Amtes ist intern.');
  });

  it('names bad input and a refused key with a code, without a stack trace', async () => {
    const badKey = await runExample([endpoint], { HRO_API_KEY: 'hro_nope' });
    expect(badKey).toMatchObject({ code: 1, stdout: '', stderr: 'services-online: UNAUTHENTICATED: Invalid API key\n' });
    const badUrl = await runExample(['not a url']);
    expect(badUrl).toMatchObject({ code: 2, stderr: 'not a URL: not a url\n' });
    const closed = await runExample(['http://127.0.0.1:9/graphql']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^services-online: NETWORK: http:\/\/127\.0\.0\.1:9\/graphql is not reachable \(.+\)\n$/);
  });
});
