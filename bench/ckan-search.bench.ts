// CKAN package_search benchmark (issue 6): 10,000 datasets seeded set-based into a fresh
// database of a fresh embedded PostgreSQL; `package_search` with a German word as `q` and four
// facets (tags, organization, res_format, license_id), over real HTTP against the real app, side
// by side with the raw SQL of the same search sent through `pg` (the statement the domain
// function runs, captured from the pool and replayed with its parameters). Goal: p95 ≤ 30 ms.
//
//   node --import ./scripts/ts-hooks.mjs bench/ckan-search.bench.ts [datasets] [requests] [--heavy]   (default 10000 400)
//
// Requests are sequential (one at a time) and alternate between the two paths, so both see the
// same machine; a second phase sends 4 requests at a time with autocannon for throughput.
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type pg from 'pg';
import { createLogger } from '@hro/api';
import { createPool } from '@hro/api/db';
import { syncCatalog } from '@hro/api/domain';
import { createApp } from '@hro/portal';
import { withBenchDatabase } from './harness.js';

export const name = 'ckan-search';

const here = fileURLToPath(import.meta.url);

/** Nouns of a German city's open data; titles, descriptions and tags are drawn from them. */
const nouns = `Verwaltung Bürgerservice Straße Verkehr Parken Schule Kita Umwelt Abfall Wasser Energie Haushalt Finanzen
  Bauantrag Bebauungsplan Denkmal Grünfläche Spielplatz Friedhof Feuerwehr Rettungsdienst Gesundheit Sozialleistung Wohngeld
  Meldewesen Personalausweis Reisepass Führerschein Zulassung Gewerbe Tourismus Hafen Kultur Museum Bibliothek Sport
  Schwimmhalle Radverkehr Nahverkehr Haltestelle Baustelle Lärm Luftqualität Klima Hochwasser Statistik Bevölkerung Wahl
  Stadtteil Ortsamt Digitalisierung Onlinedienst Formular Termin Antrag Bescheid Gebühr Satzung Förderung Vergabe
  Ausschreibung Beteiligung Jugend Senioren Integration Wohnungsbau Mietspiegel Grundsteuer Hundesteuer Markt Veranstaltung
  Strand Küste Deich Radweg Brücke Beleuchtung Winterdienst Straßenreinigung Baum Park Naturschutz Gewässer Trinkwasser
  Abwasser Fernwärme Solaranlage Ladesäule Carsharing Fahrrad Fußverkehr Schulweg Ganztag Hort Studierende Hochschule
  Wissenschaft Wirtschaft Arbeitsmarkt Ausbildung Einzelhandel Gastronomie Hotel Übernachtung Kreuzfahrt Fähre Bahnhof
  Flughafen Sicherheit Ordnungsamt Bußgeld Kontrolle Lebensmittel Veterinär Tierheim Fundbüro Standesamt Eheschließung
  Geburt Sterbefall Einbürgerung Aufenthalt Flüchtlinge Unterkunft Wohnungslosigkeit Pflege Behinderung Barrierefreiheit
  Inklusion Gleichstellung Ehrenamt Verein Stiftung Archiv Chronik Geodaten Luftbild Kataster Adressen Hausnummer`
  .split(/\s+/)
  .filter(Boolean);
const adjectives = 'öffentliche städtische jährliche monatliche aktuelle historische digitale geplante barrierefreie regionale'.split(' ');
const formats = ['CSV', 'JSON', 'GeoJSON', 'XLSX', 'PDF', 'XML', 'WMS', 'ZIP'];

/**
 * The vocabulary of descriptions and titles: the nouns, and (typical) their compounds with three
 * prefixes as German forms them ("Stadtverkehr", "Landesstatistik"), 640 words, so a word occurs
 * in about 4 % of the datasets; or (heavy, `--heavy`) the 160 nouns alone, about 19 %.
 */
const prefixes = { typical: ['', 'Stadt', 'Landes', 'Bürger'], heavy: [''] };
export const vocabulary = (kind: keyof typeof prefixes) => prefixes[kind].flatMap((p) => nouns.map((n) => (p ? p + n.toLowerCase() : n)));

/** The words searched for: plain nouns and compounds, with and without umlauts. */
const queryWords = {
  typical: [
    'Verkehr',
    'Stadthaushalt',
    'Umwelt',
    'Landesgebühr',
    'Spielplatz',
    'Bürgerschule',
    'Hafen',
    'Stadtstatistik',
    'Wahl',
    'Grünfläche',
  ],
  heavy: ['Verkehr', 'Schule', 'Haushalt', 'Umwelt', 'Gebühr', 'Spielplatz', 'Grünfläche', 'Hafen', 'Statistik', 'Wahl'],
};
const FACETS = '["tags","organization","res_format","license_id"]';

export async function seed(pool: pg.Pool, datasets: number, words: string[] = nouns): Promise<void> {
  await pool.query(`select setseed(0.42)`);
  await pool.query(
    `insert into catalog.organization (name, title, description)
     select 'amt-' || i, 'Amt ' || i || ' der Hanse- und Universitätsstadt Rostock', '' from generate_series(1, 20) i`,
  );
  await pool.query(`insert into catalog."group" (name, title) select 'thema-' || i, 'Thema ' || i from generate_series(1, 12) i`);
  await pool.query(`insert into catalog.tag (name) select unnest($1::text[]) on conflict do nothing`, [nouns]);
  // titles of an adjective and two words, descriptions of 20–29 words; ages up to three years
  await pool.query(
    `insert into catalog.dataset (name, title, notes, license_id, organization_id, metadata_created, metadata_modified)
     select 'datensatz-' || i,
       initcap(a[1 + floor(random() * array_length(a, 1))::int]) || ' ' || n[1 + floor(random() * array_length(n, 1))::int]
         || ' und ' || n[1 + floor(random() * array_length(n, 1))::int],
       -- g in the argument makes string_agg an aggregate of the subquery, not of the outer query
       (select string_agg(n[1 + floor(random() * array_length(n, 1))::int + 0 * g], ' ') from generate_series(1, 20 + i % 10) g),
       (array['dl-by-de/2.0', 'dl-zero-de/2.0', 'cc-by/4.0', 'cc-zero', 'other-open'])[1 + i % 5],
       (select id from catalog.organization where name = 'amt-' || (1 + i % 20)),
       now() - interval '3 years', now() - random() * interval '1000 days'
     from generate_series(1, $3::int) i, (select $1::text[] as n, $2::text[] as a) w`,
    [words, adjectives, datasets],
  );
  // three tags, one or two groups, one to three resources per dataset — chosen by hash, set-based
  await pool.query(
    `insert into catalog.dataset_tag (dataset_id, tag_id)
     select d.id, t.id from catalog.dataset d cross join generate_series(0, 2) k
     join lateral (select id from catalog.tag order by name offset abs(hashtext(d.name || k)) % (select count(*) from catalog.tag) limit 1) t on true
     where d.name like 'datensatz-%' on conflict do nothing`,
  );
  await pool.query(
    `insert into catalog.dataset_group (dataset_id, group_id)
     select d.id, g.id from catalog.dataset d cross join generate_series(0, 1) k
     join catalog."group" g on g.name = 'thema-' || (1 + abs(hashtext(d.name || 'g' || k)) % 12)
     where d.name like 'datensatz-%' and (k = 0 or abs(hashtext(d.name)) % 2 = 0) on conflict do nothing`,
  );
  await pool.query(
    `insert into catalog.resource (dataset_id, name, format, position, datastore_active)
     select d.id, d.title || ' (' || f.format || ')', f.format, k, f.format = 'CSV'
     from catalog.dataset d cross join generate_series(0, 2) k
     cross join lateral (select ($1::text[])[1 + abs(hashtext(d.name || 'r' || k)) % array_length($1::text[], 1)] as format) f
     where d.name like 'datensatz-%' and k <= abs(hashtext(d.name || 'n')) % 3`,
    [formats],
  );
  // the steady state after autovacuum: the seed's trigger updates leave dead rows behind
  await pool.query(`vacuum analyze`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: ms.reduce((s, x) => s + x, 0) / ms.length,
  };
}

export interface CkanSearchBenchResult {
  kind: 'typical' | 'heavy';
  datasets: number;
  requests: number;
  matchesPerQuery: { min: number; max: number };
  http: Stats;
  sql: Stats;
  throughput: { connections: number; requestsPerSecond: number; p95: number };
}

export async function measure(datasets = 10_000, requests = 400, kind: 'typical' | 'heavy' = 'typical'): Promise<CkanSearchBenchResult> {
  const words = queryWords[kind];
  const log = createLogger('warn');
  return withBenchDatabase('ckan', log, async (url) => {
    const pool = createPool(url, 8);
    await syncCatalog(pool);
    const seeded = performance.now();
    await seed(pool, datasets, vocabulary(kind));
    process.stderr.write(`seeded ${datasets} datasets in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);

    // the statement (and parameters) each search sends, captured once per word for the baseline
    const captured = new Map<string, { text: string; values: unknown[] }>();
    let capturing: string | null = null;
    const query = pool.query.bind(pool) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
    (pool as unknown as { query: typeof query }).query = (text: string, values?: unknown[]) => {
      if (capturing && typeof text === 'string' && text.includes('matched as materialized'))
        captured.set(capturing, { text, values: values ?? [] });
      return query(text, values);
    };

    const app = await createApp({ pool, log, introspection: false, rateLimits: { anonymous: 1_000_000, key: 1_000_000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const site = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const searchUrl = (word: string) =>
      `${site}/api/3/action/package_search?q=${encodeURIComponent(word)}&facet.field=${encodeURIComponent(FACETS)}`;
    try {
      const counts: number[] = [];
      for (const word of words) {
        capturing = word;
        const res = await fetch(searchUrl(word));
        const body = (await res.json()) as { success: boolean; result: { count: number; search_facets: Record<string, unknown> } };
        if (!body.success || Object.keys(body.result.search_facets).length !== 4) throw new Error(`search for ${word} failed`);
        counts.push(body.result.count);
      }
      capturing = null;
      // warm up both paths
      for (let i = 0; i < 40; i++) {
        const word = words[i % words.length] as string;
        await (await fetch(searchUrl(word))).arrayBuffer();
        const sql = captured.get(word);
        if (sql) await query(sql.text, sql.values);
      }
      const http: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < requests; i++) {
        const word = words[i % words.length] as string;
        let t = performance.now();
        const res = await fetch(searchUrl(word));
        await res.arrayBuffer();
        http.push(performance.now() - t);
        const sql = captured.get(word) as { text: string; values: unknown[] };
        t = performance.now();
        await query(sql.text, sql.values);
        raw.push(performance.now() - t);
      }
      const connections = 4;
      const paths = words.map((word) => searchUrl(word).slice(site.length));
      let n = 0;
      const load = await autocannon({
        url: site,
        connections,
        duration: 8,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[n++ % paths.length] }) }],
      });
      return {
        kind,
        datasets,
        requests,
        matchesPerQuery: { min: Math.min(...counts), max: Math.max(...counts) },
        http: stats(http),
        sql: stats(raw),
        throughput: { connections, requestsPerSecond: load.requests.average, p95: load.latency.p97_5 },
      };
    } finally {
      await app.close();
      await pool.end();
    }
  });
}

if (process.argv[1] === here) {
  const args = process.argv.slice(2).filter((a) => a !== '--heavy');
  const datasets = Number(args[0] ?? 10_000);
  const requests = Number(args[1] ?? 400);
  const r = await measure(datasets, requests, process.argv.includes('--heavy') ? 'heavy' : 'typical');
  const f = (x: number) => x.toFixed(1);
  process.stdout.write(
    `\nCKAN package_search, q + 4 facets, ${r.datasets.toLocaleString('en')} datasets, ${r.kind} vocabulary (${new Date().toISOString().slice(0, 10)}); ` +
      `${r.matchesPerQuery.min}–${r.matchesPerQuery.max} matches per query\n\n` +
      `| path | p50 | p95 | p99 | mean |\n|---|---:|---:|---:|---:|\n` +
      `| package_search over HTTP (${r.requests} sequential) | ${f(r.http.p50)} ms | ${f(r.http.p95)} ms | ${f(r.http.p99)} ms | ${f(r.http.mean)} ms |\n` +
      `| the same SQL via pg (baseline) | ${f(r.sql.p50)} ms | ${f(r.sql.p95)} ms | ${f(r.sql.p99)} ms | ${f(r.sql.mean)} ms |\n` +
      `| ratio HTTP / SQL | ${(r.http.p50 / r.sql.p50).toFixed(2)}× | ${(r.http.p95 / r.sql.p95).toFixed(2)}× | ${(r.http.p99 / r.sql.p99).toFixed(2)}× | ${(r.http.mean / r.sql.mean).toFixed(2)}× |\n\n` +
      `goal p95 ≤ 30 ms: ${r.http.p95 <= 30 ? 'met' : 'missed'}; with ${r.throughput.connections} connections (autocannon, 8 s): ` +
      `${r.throughput.requestsPerSecond.toFixed(0)} req/s, p97.5 ${r.throughput.p95} ms\n`,
  );
}
