import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { keysAs, walkAs } from '../testing/connections.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into catalog.organization (name, title) values ('hro-digital', 'Amt für Digitalisierung'), ('hro-kataster', 'Kataster');
    insert into catalog.license (id, title) values ('cc-zero', 'CC0'), ('dl-by-de/2.0', 'DL-DE BY');
    insert into catalog."group" (name, title) values ('gove', 'Regierung'), ('regi', 'Regionen');
    insert into catalog.tag (name) values ('OZG'), ('Geodaten'), ('Intern');
    insert into catalog.dataset (name, title, notes, license_id, organization_id, private, metadata_created, metadata_modified) values
      ('vorhaben', 'Vorhaben der Strategie', 'Die 33 Vorhaben', 'dl-by-de/2.0', (select id from catalog.organization where name = 'hro-digital'), false,
        '2024-01-01 10:00:00.000001+00', '2025-03-01 10:00:00.000002+00'),
      ('ozg-leistungen', 'OZG-Leistungen', 'Leistungen mit Reifegrad', 'dl-by-de/2.0', (select id from catalog.organization where name = 'hro-digital'), false,
        '2024-01-01 10:00:00.000002+00', '2025-03-01 10:00:00.000001+00'),
      ('stadtbereiche', 'Ämter und Stadtbereiche', 'Geometrien', 'cc-zero', (select id from catalog.organization where name = 'hro-kataster'), false,
        '2023-05-01 00:00:00+00', '2024-02-01 00:00:00+00'),
      ('kosten', 'Kosten der Fachverfahren', 'intern', 'cc-zero', (select id from catalog.organization where name = 'hro-digital'), true,
        '2022-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
    insert into catalog.dataset_group (dataset_id, group_id)
      select d.id, g.id from catalog.dataset d, catalog."group" g where (d.name, g.name) in (('vorhaben', 'gove'), ('ozg-leistungen', 'gove'), ('stadtbereiche', 'regi'), ('kosten', 'gove'));
    insert into catalog.dataset_tag (dataset_id, tag_id)
      select d.id, t.id from catalog.dataset d, catalog.tag t where (d.name, t.name) in (('ozg-leistungen', 'OZG'), ('stadtbereiche', 'Geodaten'), ('kosten', 'Intern'));`);
});
afterAll(async () => {
  await db.close();
});

const filtered = (role: Role, filter: unknown, args = '') =>
  keysAs(db, role, {
    connection: 'datasets',
    key: 'name',
    args: `filter: $filter${args}`,
    declarations: '$filter: DatasetFilter',
    variables: { filter },
  });

describe('dataset filters', () => {
  it('apply operators and filter across groups and tags', async () => {
    expect(await filtered('anonymous', { licenseId: { eq: 'cc-zero' } })).toEqual(['stadtbereiche']);
    expect(await filtered('anonymous', { organizationName: { eq: 'hro-digital' } })).toEqual(['ozg-leistungen', 'vorhaben']);
    expect(await filtered('anonymous', { title: { icontains: 'amter' } })).toEqual(['stadtbereiche']);
    expect(await filtered('anonymous', { groups: { name: { eq: 'gove' } } })).toEqual(['ozg-leistungen', 'vorhaben']);
    expect(await filtered('anonymous', { tags: { name: { in: ['OZG', 'Geodaten'] } } })).toEqual(['ozg-leistungen', 'stadtbereiche']);
    expect(await filtered('anonymous', { not: { tags: { name: { isNull: false } } } })).toEqual(['vorhaben']);
    expect(await filtered('anonymous', { metadataModified: { gte: '2025-01-01T00:00:00Z' } })).toEqual(['ozg-leistungen', 'vorhaben']);
  });

  it('never widen what a viewer may see: private datasets stay hidden from anonymous users and developers', async () => {
    expect(await filtered('anonymous', { private: { eq: true } })).toEqual([]);
    expect(await filtered('developer', { tags: { name: { eq: 'Intern' } } })).toEqual([]);
    expect(await filtered('steering', { private: { eq: true } })).toEqual(['kosten']);
    expect(await filtered('steering', { tags: { name: { eq: 'Intern' } } })).toEqual(['kosten']);
  });
});

describe('dataset order', () => {
  it('sorts by title and by metadata times to the microsecond', async () => {
    expect(await keysAs(db, 'anonymous', { connection: 'datasets', key: 'name', args: 'orderBy: TITLE_ASC' })).toEqual([
      'stadtbereiche',
      'ozg-leistungen',
      'vorhaben',
    ]);
    expect(await keysAs(db, 'anonymous', { connection: 'datasets', key: 'name', args: 'orderBy: METADATA_MODIFIED_DESC' })).toEqual([
      'vorhaben',
      'ozg-leistungen',
      'stadtbereiche',
    ]);
    expect(await keysAs(db, 'steering', { connection: 'datasets', key: 'name', args: 'orderBy: METADATA_CREATED_ASC' })).toEqual([
      'kosten',
      'stadtbereiche',
      'vorhaben',
      'ozg-leistungen',
    ]);
  });

  it('pages stably under every order: cursors keep microseconds a JavaScript Date would drop', async () => {
    for (const orderBy of ['NAME_DESC', 'TITLE_DESC', 'METADATA_MODIFIED_ASC', 'METADATA_MODIFIED_DESC', 'METADATA_CREATED_DESC']) {
      const all = await keysAs(db, 'steering', { connection: 'datasets', key: 'name', args: `orderBy: ${orderBy}` });
      expect(all).toHaveLength(4);
      expect(await walkAs(db, 'steering', { connection: 'datasets', key: 'name', args: `orderBy: ${orderBy}` }, 1)).toEqual(all);
    }
  });
});
