import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { AppError } from '../errors/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { executeAs } from '../testing/graphql.js';
import { keysAs, queryAs } from '../testing/connections.js';
import { datasetNames } from './catalog.service.js';
import { syncCatalog } from './catalog.sync.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
});
afterAll(async () => {
  await db.close();
});

const register = `mutation ($input: DatasetInput!) { registerDataset(input: $input) { name title private view groups tags licenseId organizationName numResources } }`;
const update = `mutation ($name: String!, $patch: DatasetPatch!) { updateDataset(name: $name, patch: $patch) { name title notes private groups tags view } }`;
const input = {
  name: 'fachverfahren-auszug',
  title: 'Fachverfahren (Auszug)',
  notes: 'Ein Auszug',
  license: 'dl-by-de/2.0',
  organization: 'hro-digitalisierung',
  groups: ['gove'],
  tags: ['Fachverfahren', 'IT-Bebauung'],
  view: 'open.procedures',
};

/** The error of a mutation as a client sees it: code and, for bad input, the messages per field. */
async function refusal(role: Role, source: string, variables: Record<string, unknown>) {
  const result = await executeAs(db, role, source, variables);
  const original = result.errors?.[0]?.originalError;
  if (!(original instanceof AppError)) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return { code: original.code, fields: (original.details as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors };
}

const version = async () => Number((await db.pool.query<{ v: string }>(`select version::text as v from core.data_version`)).rows[0]?.v);

describe('registering a catalog dataset', () => {
  it('is refused to everyone but admins, before any input is looked at', async () => {
    const bad = { ...input, license: 'no-such-licence' };
    expect(await refusal('anonymous', register, { input: bad })).toEqual({ code: 'UNAUTHENTICATED', fields: undefined });
    for (const role of ['developer', 'steering'] as const) {
      expect(await refusal(role, register, { input })).toEqual({ code: 'FORBIDDEN', fields: undefined });
      expect(await refusal(role, update, { name: input.name, patch: { title: 'x' } })).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await refusal('anonymous', update, { name: 'ozg-leistungen', patch: { private: true } })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await db.pool.query(`select 1 from catalog.dataset where name = $1`, [input.name])).rows).toHaveLength(0);
  });

  it('validates every field against the catalog and the open schema, all at once', async () => {
    const before = await version();
    expect(
      await refusal('admin', register, {
        input: {
          ...input,
          name: 'Bad Name',
          title: ' ',
          license: 'no-such-licence',
          organization: 'nobody',
          groups: ['gove', 'nope'],
          tags: ['ok', 'semi;colon'],
          view: 'core.procedure',
        },
      }),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      fields: {
        name: ['lower-case letters, digits, - and _ (2–100 characters)'],
        title: ['Missing value'],
        license: ['unknown licence: no-such-licence (see license_list)'],
        organization: ['unknown organization: nobody'],
        groups: ['unknown group: nope'],
        tags: ['"semi;colon": letters, digits, spaces, - _ . (1–100 characters)'],
        view: ['a view in the open schema, e.g. open.initiatives'],
      },
    });
    expect(await refusal('admin', register, { input: { ...input, view: 'open.no_such_view' } })).toEqual({
      code: 'BAD_USER_INPUT',
      fields: { view: ['no such view in the open schema: open.no_such_view'] },
    });
    expect(await refusal('admin', register, { input: { ...input, name: 'ozg-leistungen' } })).toEqual({
      code: 'BAD_USER_INPUT',
      fields: { name: ['That URL is already in use.'] },
    });
    expect(await version()).toBe(before);
  });

  it('registers for admins: audited, data version bumped, visible in datasets and in CKAN package_list', async () => {
    const before = await version();
    const data = await queryAs<{ registerDataset: unknown }>(db, 'admin', register, { input });
    expect(data.registerDataset).toEqual({
      name: 'fachverfahren-auszug',
      title: 'Fachverfahren (Auszug)',
      private: false,
      view: 'open.procedures',
      groups: ['gove'],
      tags: ['Fachverfahren', 'IT-Bebauung'],
      licenseId: 'dl-by-de/2.0',
      organizationName: 'hro-digitalisierung',
      numResources: 2,
    });
    expect(await version()).toBe(before + 1);
    const { rows: log } = await db.pool.query<{ actor: string; action: string; target: string; details: { view: string } }>(
      `select actor, action, target, details from core.audit_log where action like 'dataset.%' order by id`,
    );
    expect(log).toEqual([
      {
        actor: 'admin',
        action: 'dataset.register',
        target: 'dataset:fachverfahren-auszug',
        details: expect.objectContaining({ view: 'open.procedures' }),
      },
    ]);
    expect(
      await keysAs(db, 'anonymous', { connection: 'datasets', key: 'name', args: 'filter: { tags: { name: { eq: "IT-Bebauung" } } }' }),
    ).toEqual(['fachverfahren-auszug']);
    expect(await datasetNames({ viewer: { role: 'anonymous' }, pool: db.pool, log: db.log })).toContain('fachverfahren-auszug');
    const { rows: resources } = await db.pool.query(
      `select r.format, r.view_name from catalog.resource r join catalog.dataset d on d.id = r.dataset_id where d.name = $1 order by r.position`,
      [input.name],
    );
    expect(resources).toEqual([
      { format: 'CSV', view_name: 'open.procedures' },
      { format: 'JSON', view_name: 'open.procedures' },
    ]);
  });

  it('edits what it registered; a private dataset leaves the public lists', async () => {
    const data = await queryAs<{ updateDataset: unknown }>(db, 'admin', update, {
      name: input.name,
      patch: { title: 'Fachverfahren intern', private: true, tags: [], view: 'open.stadtbereiche' },
    });
    expect(data.updateDataset).toEqual({
      name: 'fachverfahren-auszug',
      title: 'Fachverfahren intern',
      notes: 'Ein Auszug',
      private: true,
      groups: ['gove'],
      tags: [],
      view: 'open.stadtbereiche',
    });
    const anonymousCtx = { viewer: { role: 'anonymous' as const }, pool: db.pool, log: db.log };
    expect(await datasetNames(anonymousCtx)).not.toContain('fachverfahren-auszug');
    expect(
      await keysAs(db, 'developer', { connection: 'datasets', key: 'name', args: 'filter: { name: { eq: "fachverfahren-auszug" } }' }),
    ).toEqual([]);
    expect(
      await keysAs(db, 'steering', { connection: 'datasets', key: 'name', args: 'filter: { name: { eq: "fachverfahren-auszug" } }' }),
    ).toEqual(['fachverfahren-auszug']);
    // a geo view gets the geo resources
    const { rows: formats } = await db.pool.query(
      `select r.format from catalog.resource r join catalog.dataset d on d.id = r.dataset_id where d.name = $1 order by r.position`,
      [input.name],
    );
    expect(formats.map((f: { format: string }) => f.format)).toEqual(['GeoJSON', 'CSV']);
    expect(
      (
        await db.pool.query(
          `select count(*)::int as n from core.audit_log where action = 'dataset.update' and target = 'dataset:fachverfahren-auszug'`,
        )
      ).rows[0],
    ).toEqual({ n: 1 });
  });

  it('refuses declared datasets (CONFLICT: their file owns them), unknown ones (NOT_FOUND) and bad patches', async () => {
    expect(await refusal('admin', update, { name: 'ozg-leistungen', patch: { private: true } })).toMatchObject({ code: 'CONFLICT' });
    expect(await refusal('admin', update, { name: 'no-such-dataset', patch: { title: 'x' } })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal('admin', update, { name: input.name, patch: { license: 'nope' } })).toEqual({
      code: 'BAD_USER_INPUT',
      fields: { license: ['unknown licence: nope (see license_list)'] },
    });
  });
});
