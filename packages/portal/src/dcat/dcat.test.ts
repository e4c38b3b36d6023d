// DCAT-AP.de 3.0 over real HTTP from the real app with the samples loaded, validated against the
// official shapes in shared/dcat-ap-de (offline: owl:imports removed, the local licence and
// contributor vocabularies loaded; the EU authority tables are remote — see knownGap).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import datasetFactory from '@rdfjs/dataset';
import type { DatasetCore, Quad as RdfQuad } from '@rdfjs/types';
import type { FastifyInstance } from 'fastify';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { createApiKey, readDeclarations, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '../app.js';
import { readJsonLd, readRdfXml, readTurtle } from './read-back.testing.js';
import { listenOnLoopback } from '../testing.js';

const dcatDir = join(process.env.HRO_SHARED_DIR ?? join(repoRoot, '..', 'shared'), 'dcat-ap-de');
const SH = 'http://www.w3.org/ns/shacl#';
const SKOS_IN_SCHEME = 'http://www.w3.org/2004/02/skos/core#inScheme';
const published = readDeclarations()
  .datasets.filter((d) => !d.private)
  .map((d) => d.name);

/**
 * The membership checks whose vocabularies are remote (owl:imports of dcat-ap-de-imports.ttl) and
 * cannot be loaded offline: "value skos:inScheme <table>" for IRIs of the EU authority tables,
 * the ADMS publisher types and the political-geocoding levels. The licence and contributor lists
 * are local files and loaded, so their checks are real.
 */
const remoteTables = [
  'http://publications.europa.eu/resource/authority/',
  'http://purl.org/adms/publishertype/',
  'http://dcat-ap.de/def/politicalGeocoding/Level/',
];

interface Result {
  severity: string;
  component: string;
  path: string | undefined;
  focus: string;
  value: string | undefined;
  message: string;
}

const membership = (r: Result) => r.component === `${SH}HasValueConstraintComponent` && r.path === SKOS_IN_SCHEME;
const knownGap = (r: Result) => membership(r) && remoteTables.some((t) => r.focus.startsWith(t));

function parseTurtle(text: string): RdfQuad[] {
  return new Parser().parse(text);
}

let validator: SHACLValidator;
let vocabularies: RdfQuad[];

function shapes(): DatasetCore {
  const dataset = datasetFactory.dataset();
  for (const file of readdirSync(join(dcatDir, 'shapes'))) {
    for (const q of parseTurtle(readFileSync(join(dcatDir, 'shapes', file), 'utf8'))) {
      if (q.predicate.value !== 'http://www.w3.org/2002/07/owl#imports') dataset.add(q);
    }
  }
  return dataset;
}

async function validate(quads: RdfQuad[]): Promise<Result[]> {
  const data = datasetFactory.dataset([...quads, ...vocabularies]);
  const report = await validator.validate(data);
  return report.results.map((r) => ({
    severity: r.severity.value.replace(SH, ''),
    component: r.sourceConstraintComponent.value,
    path: r.path?.value,
    focus: r.focusNode.value,
    value: r.value?.value,
    message: r.message.map((m) => m.value).join(' | '),
  }));
}

let db: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${baseUrl}${path}`, { headers });

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  app = await createApp({ pool: db.pool, log: db.log, introspection: false });
  baseUrl = await listenOnLoopback(app);
  validator = new SHACLValidator(shapes());
  // the local vocabularies are RDF/XML, which n3 does not read: read-back.testing's reader turns them into N-Triples
  vocabularies = ['dcat-ap-de-licenses-open.rdf', 'dcat-ap-de-contributors.rdf'].flatMap((f) =>
    parseTurtle(readRdfXml(readFileSync(join(dcatDir, f), 'utf8')).join('\n')),
  );
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('validator wiring', () => {
  it("reproduces the README's result for the spec's own example Dataset-und-Distribution.ttl", async () => {
    const results = await validate(parseTurtle(readFileSync(join(dcatDir, 'examples', 'Dataset-und-Distribution.ttl'), 'utf8')));
    const violations = results.filter((r) => r.severity === 'Violation');
    // one violation of its own: locn:geometry given as a literal
    expect(violations.filter((r) => !membership(r))).toEqual([
      expect.objectContaining({ component: `${SH}NodeKindConstraintComponent`, path: 'http://www.w3.org/ns/locn#geometry' }),
    ]);
    // … plus membership results (themes, formats, frequencies … and the deprecated ADMS status list)
    expect(violations.filter(membership).map((r) => r.focus)).toEqual(
      expect.arrayContaining([
        'http://publications.europa.eu/resource/authority/data-theme/GOVE',
        'http://publications.europa.eu/resource/authority/file-type/CSV',
        'http://publications.europa.eu/resource/authority/frequency/NEVER',
      ]),
    );
    // the deprecated political-geocoding property is reported
    expect(results.some((r) => r.path === 'http://dcat-ap.de/def/dcatde/politicalGeocodingURI')).toBe(true);
  });

  it('checks licence and contributor membership against the local vocabularies', async () => {
    const doc = (licence: string, contributor: string) => `
      @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
      @prefix dcatde: <http://dcat-ap.de/def/dcatde/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
      <http://x/d> a dcat:Dataset ; dct:title "T"@de ; dct:description "D"@de ; dct:publisher <http://x/p> ;
        dcatde:contributorID <${contributor}> ; dcat:distribution <http://x/r> .
      <http://x/p> a foaf:Agent ; foaf:name "P" .
      <http://x/r> a dcat:Distribution ; dcat:accessURL <http://x/f> ; dct:license <${licence}> .`;
    const good = await validate(
      parseTurtle(doc('http://dcat-ap.de/def/licenses/dl-by-de/2.0', 'http://dcat-ap.de/def/contributors/openDataHRO')),
    );
    expect(good.filter((r) => r.path === SKOS_IN_SCHEME)).toEqual([]);
    const bad = await validate(
      parseTurtle(doc('http://dcat-ap.de/def/licenses/made-up', 'http://dcat-ap.de/def/contributors/hansestadtRostock')),
    );
    expect(bad.filter((r) => r.path === SKOS_IN_SCHEME).map((r) => r.focus)).toEqual(
      expect.arrayContaining(['http://dcat-ap.de/def/licenses/made-up', 'http://dcat-ap.de/def/contributors/hansestadtRostock']),
    );
  });
});

describe('/catalog.ttl against the official shapes', () => {
  let ttl: string;
  let results: Result[];
  beforeAll(async () => {
    const res = await get('/catalog.ttl');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/turtle; charset=utf-8');
    ttl = await res.text();
    results = await validate(parseTurtle(ttl));
  });

  it('has no violation except the membership checks of remote authority tables', () => {
    const violations = results.filter((r) => r.severity === 'Violation');
    const gaps = violations.filter(knownGap);
    // the known gap, printed (the test's stdout) so that a reader of the run sees what was not checked and why
    process.stdout.write(
      `SHACL known gap — the EU authority tables, ADMS and political-geocoding levels are remote owl:imports, ` +
        `not loadable offline; ${gaps.length} membership results left unchecked for: ` +
        `${[...new Set(gaps.map((r) => r.focus))].sort().join(', ')}\n`,
    );
    expect(violations.filter((r) => !knownGap(r))).toEqual([]);
    expect(gaps.length).toBeGreaterThan(0);
  });

  it('has no warning either, beyond the same membership class', () => {
    expect(results.filter((r) => r.severity !== 'Violation' && !knownGap(r))).toEqual([]);
  });

  it('lists every published dataset with the mandatory and the DCAT-AP.de properties', () => {
    const quads = parseTurtle(ttl);
    const objects = (s: string, p: string) =>
      quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value);
    const datasets = quads
      .filter(
        (q) =>
          q.predicate.value === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' && q.object.value === 'http://www.w3.org/ns/dcat#Dataset',
      )
      .map((q) => q.subject.value);
    expect(datasets.sort()).toEqual(published.map((n) => `${baseUrl}/dataset/${n}`).sort());
    for (const d of datasets) {
      expect(objects(d, 'http://purl.org/dc/terms/spatial')).toContain('http://dcat-ap.de/def/politicalGeocoding/municipalityKey/13003000');
      expect(objects(d, 'http://dcat-ap.de/def/dcatde/politicalGeocodingLevelURI')).toEqual([
        'http://dcat-ap.de/def/politicalGeocoding/Level/municipality',
      ]);
      expect(objects(d, 'http://dcat-ap.de/def/dcatde/contributorID')).toEqual(['http://dcat-ap.de/def/contributors/openDataHRO']);
      expect(objects(d, 'http://www.w3.org/ns/dcat#theme')).toEqual(['http://publications.europa.eu/resource/authority/data-theme/GOVE']);
      expect(objects(d, 'http://purl.org/dc/terms/accrualPeriodicity')[0]).toMatch(
        /^http:\/\/publications\.europa\.eu\/resource\/authority\/frequency\/(DAILY|MONTHLY|IRREG)$/,
      );
      expect(objects(d, 'http://www.w3.org/ns/dcat#distribution').length).toBeGreaterThanOrEqual(2);
    }
    expect(ttl).not.toContain('politicalGeocodingURI');
  });

  it('describes each distribution with EU file type, IANA media type, licence, attribution and the download URL', () => {
    const quads = parseTurtle(ttl);
    const objects = (s: string, p: string) =>
      quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value);
    const vorhaben = `${baseUrl}/dataset/vorhaben-digitale-verwaltung-rostock-2030`;
    const [csv] = objects(vorhaben, 'http://www.w3.org/ns/dcat#distribution').filter((dist) =>
      objects(dist, 'http://purl.org/dc/terms/format').includes('http://publications.europa.eu/resource/authority/file-type/CSV'),
    );
    expect(csv).toMatch(new RegExp(`^${vorhaben}/resource/[0-9a-f-]{36}$`));
    const download = `${csv}/download?format=csv`;
    expect(objects(csv!, 'http://www.w3.org/ns/dcat#downloadURL')).toEqual([download]);
    expect(objects(csv!, 'http://www.w3.org/ns/dcat#accessURL')).toEqual([download]);
    expect(objects(csv!, 'http://www.w3.org/ns/dcat#mediaType')).toEqual(['https://www.iana.org/assignments/media-types/text/csv']);
    expect(objects(csv!, 'http://purl.org/dc/terms/license')).toEqual(['http://dcat-ap.de/def/licenses/dl-by-de/2.0']);
    expect(objects(csv!, 'http://dcat-ap.de/def/dcatde/licenseAttributionByText')).toEqual([
      'Hanse- und Universitätsstadt Rostock – Amt für Digitalisierung und IT',
    ]);
    // CC0 asks for no attribution
    const bereiche = `${baseUrl}/dataset/stadtbereiche-rostock`;
    const [geojson] = objects(bereiche, 'http://www.w3.org/ns/dcat#distribution');
    expect(objects(geojson!, 'http://purl.org/dc/terms/format')).toEqual([
      'http://publications.europa.eu/resource/authority/file-type/GEOJSON',
    ]);
    expect(objects(geojson!, 'http://purl.org/dc/terms/license')).toEqual(['http://dcat-ap.de/def/licenses/cc-zero']);
    expect(objects(geojson!, 'http://dcat-ap.de/def/dcatde/licenseAttributionByText')).toEqual([]);
    // the 21 Stadtbereiche give the dataset an extent (WKT in lon/lat, around Rostock)
    const bbox = quads.find(
      (q) =>
        q.predicate.value === 'http://www.w3.org/ns/dcat#bbox' &&
        objects(bereiche, 'http://purl.org/dc/terms/spatial').includes(q.subject.value),
    );
    expect(bbox?.object.value).toMatch(/^POLYGON\(\(11\.\d+ 54\.\d+, 12\.\d+ 54\.\d+, /);
    // temporal coverage of the Vorhaben, from the declaration
    const [period] = objects(vorhaben, 'http://purl.org/dc/terms/temporal');
    expect(objects(period!, 'http://www.w3.org/ns/dcat#startDate')).toEqual(['2022-12-01']);
  });

  it('carries the same triples as RDF/XML, JSON-LD and N-Triples', async () => {
    const expected = readTurtle(ttl).sort();
    // the paging node names the document's own URL; everything else is the same graph
    const same = (lines: string[], extension: string) => lines.map((l) => l.replaceAll(`/catalog.${extension}?`, '/catalog.ttl?')).sort();
    const rdf = await get('/catalog.rdf');
    expect(rdf.headers.get('content-type')).toBe('application/rdf+xml; charset=utf-8');
    expect(same(readRdfXml(await rdf.text()), 'rdf')).toEqual(expected);
    const jsonld = await get('/catalog.jsonld');
    expect(jsonld.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
    expect(same(readJsonLd(await jsonld.text()), 'jsonld')).toEqual(expected);
    expect(same(readTurtle(await (await get('/catalog.nt')).text()), 'nt')).toEqual(expected);
    expect(same(readRdfXml(await (await get('/catalog.xml')).text()), 'xml')).toEqual(expected);
    expect(expected.length).toBeGreaterThan(200);
  });
});

describe('/dataset/<name or id>.<format>', () => {
  it('serves one dataset by name and by id, valid against the shapes', async () => {
    const ttl = await (await get('/dataset/ozg-leistungen.ttl')).text();
    const results = await validate(parseTurtle(ttl));
    expect(results.filter((r) => r.severity === 'Violation' && !knownGap(r))).toEqual([]);
    const { rows } = await db.pool.query<{ id: string }>(`select id from catalog.dataset where name = 'ozg-leistungen'`);
    const byId = await get(`/dataset/${rows[0]!.id}.jsonld`);
    expect(byId.status).toBe(200);
    expect(readJsonLd(await byId.text()).sort()).toEqual(readTurtle(ttl).sort());
    expect(ttl).toContain('<http://dcat-ap.de/def/licenses/other-open>');
    // the MIT notice the declaration names, though other-open itself asks for no attribution
    expect(ttl).toContain('"KDN OZG-Datenbank NRW, © 2020 Gert Hammes (MIT-Lizenz)"');
  });

  it('answers an unknown dataset or format with 404', async () => {
    expect((await get('/dataset/gibt-es-nicht.ttl')).status).toBe(404);
    expect((await get('/dataset/ozg-leistungen.pdf')).status).toBe(404);
    expect((await get('/catalog.pdf')).status).toBe(404);
  });
});

describe('internal datasets', () => {
  let steering: Record<string, string>;
  beforeAll(async () => {
    await db.pool.query(
      `insert into catalog.dataset (name, title, notes, license_id, organization_id, private, source_view, spatial_uri)
       values ('interne-steuerungsdaten', 'Interne Steuerungsdaten', 'nur für die Steuerung', 'dl-by-de/2.0',
         (select id from catalog.organization where name = 'hro-digitalisierung'), true, 'open.initiatives',
         'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/13003000')`,
    );
    steering = { authorization: (await createApiKey(db.pool, { name: 'dcat steering', role: 'steering' })).key };
  });

  it('never appear in the catalog, for anonymous users nor for the steering team (as ckanext-dcat)', async () => {
    expect(await (await get('/catalog.ttl')).text()).not.toContain('interne-steuerungsdaten');
    expect(await (await get('/catalog.ttl', steering)).text()).not.toContain('interne-steuerungsdaten');
  });

  it('are served on their own URL to the steering team only; others get 404', async () => {
    expect((await get('/dataset/interne-steuerungsdaten.ttl')).status).toBe(404);
    const { rows } = await db.pool.query<{ id: string }>(`select id from catalog.dataset where name = 'interne-steuerungsdaten'`);
    expect((await get(`/dataset/${rows[0]!.id}.rdf`)).status).toBe(404);
    const res = await get('/dataset/interne-steuerungsdaten.ttl', steering);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC>');
  });
});

describe('content negotiation on /catalog', () => {
  it('picks the format from Accept (q-values), Turtle by default, the portal for browsers, 406 otherwise', async () => {
    const type = async (accept?: string) => {
      const res = await fetch(`${baseUrl}/catalog`, { headers: accept ? { accept } : {}, redirect: 'manual' });
      expect(res.headers.get('vary')).toMatch(/accept/i);
      return res.status === 200 ? res.headers.get('content-type') : res.status;
    };
    expect(await type('application/ld+json')).toBe('application/ld+json; charset=utf-8');
    expect(await type('application/rdf+xml')).toBe('application/rdf+xml; charset=utf-8');
    expect(await type('text/turtle;q=0.5, application/rdf+xml;q=0.9')).toBe('application/rdf+xml; charset=utf-8');
    expect(await type('*/*')).toBe('text/turtle; charset=utf-8');
    expect(await type('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(303);
    expect(await type('image/png')).toBe(406);
  });
});

describe('hydra paging and modified_since', () => {
  const total = published.length + 150;
  beforeAll(async () => {
    // 150 more datasets, modified long ago, so the catalog has two pages
    await db.pool.query(
      `insert into catalog.dataset (name, title, notes, license_id, organization_id, spatial_uri, metadata_created, metadata_modified)
       select 'zz-alt-' || g, 'Alter Datensatz ' || g, 'Ein älterer Datensatz.', 'dl-by-de/2.0',
         (select id from catalog.organization where name = 'hro-digitalisierung'),
         'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/13003000',
         timestamptz '2020-01-01' + g * interval '1 minute', timestamptz '2020-01-01' + g * interval '1 minute'
       from generate_series(1, 150) g`,
    );
  });

  const paging = async (query: string) => {
    const quads = parseTurtle(await (await get(`/catalog.ttl${query}`)).text());
    const hydra = (p: string) =>
      quads
        .filter((q) => q.predicate.value === `http://www.w3.org/ns/hydra/core#${p}`)
        .map((q) => `${q.object.termType}:${q.object.value}`);
    const datasets = quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#dataset').map((q) => q.object.value);
    return { hydra, datasets, quads };
  };

  it('pages 100 datasets at a time, newest first, with first/last/next/previous in both Hydra forms', async () => {
    const one = await paging('');
    expect(one.datasets).toHaveLength(100);
    expect(one.hydra('totalItems')).toEqual([`Literal:${total}`]);
    expect(one.hydra('itemsPerPage')).toEqual(['Literal:100']);
    expect(one.hydra('next')).toEqual([`NamedNode:${baseUrl}/catalog.ttl?page=2`]);
    expect(one.hydra('nextPage')).toEqual([`Literal:${baseUrl}/catalog.ttl?page=2`]);
    expect(one.hydra('first')).toEqual([`NamedNode:${baseUrl}/catalog.ttl?page=1`]);
    expect(one.hydra('last')).toEqual([`NamedNode:${baseUrl}/catalog.ttl?page=2`]);
    expect(one.hydra('previous')).toEqual([]);
    expect(
      one.quads.filter(
        (q) => q.object.value === 'http://www.w3.org/ns/hydra/core#PagedCollection' && q.subject.value === `${baseUrl}/catalog.ttl?page=1`,
      ),
    ).toHaveLength(1);
    // the declared datasets were modified last: they come first
    expect(one.datasets.slice(0, published.length).sort()).toEqual(published.map((n) => `${baseUrl}/dataset/${n}`).sort());

    const two = await paging('?page=2');
    expect(two.datasets).toHaveLength(total - 100);
    expect(two.hydra('previous')).toEqual([`NamedNode:${baseUrl}/catalog.ttl?page=1`]);
    expect(two.hydra('next')).toEqual([]);
    expect(new Set([...one.datasets, ...two.datasets]).size).toBe(total);
    // past the end: no datasets, "previous" points at the last page (ckanext-dcat)
    const three = await paging('?page=3');
    expect(three.datasets).toEqual([]);
    expect(three.hydra('previous')).toEqual([`NamedNode:${baseUrl}/catalog.ttl?page=2`]);
  });

  it('filters by modified_since and keeps the parameter in the paging links', async () => {
    const recent = await paging('?modified_since=2021-01-01');
    expect(recent.datasets.sort()).toEqual(published.map((n) => `${baseUrl}/dataset/${n}`).sort());
    expect(recent.hydra('totalItems')).toEqual([`Literal:${published.length}`]);
    expect(recent.hydra('first')).toEqual([`NamedNode:${baseUrl}/catalog.ttl?modified_since=2021-01-01&page=1`]);
    const old = await paging(`?modified_since=${encodeURIComponent('2020-01-01T02:00:00+00:00')}`);
    expect(old.hydra('totalItems')).toEqual([`Literal:${published.length + 31}`]);
    const none = await paging('?modified_since=2999-01-01T00:00:00Z');
    expect(none.datasets).toEqual([]);
    expect(none.hydra('totalItems')).toEqual([]);
  });

  it("refuses a bad page or date with 409 and ckanext-dcat's message", async () => {
    for (const [query, message] of [
      ['?page=0', 'Page param must be a positive integer starting in 1'],
      ['?page=abc', 'Page param must be a positive integer starting in 1'],
      ['?modified_since=gestern', 'Wrong modified date format. Use ISO-8601 format'],
      ['?modified_since=2024-02-31', 'Wrong modified date format. Use ISO-8601 format'],
      ['?modified_since=2024-01-01&modified_since=2024-02-01', 'Wrong modified date format. Use ISO-8601 format'],
      ['?page=1&page=2', 'Page param must be a positive integer starting in 1'],
      ['?page=99999999999999999999', 'Page param must be a positive integer starting in 1'],
    ] as const) {
      const res = await get(`/catalog.jsonld${query}`);
      expect(res.status, query).toBe(409);
      expect(await res.text()).toBe(message);
    }
  });
});
