/**
 * GML benchmark: parse + reproject of a generated WFS 2.0 / GML 3.2 response with N polygon
 * features in EPSG:25833 (Rostock's CRS), through the geo connector's extract path, against
 * GDAL's `ogr2ogr -f GeoJSONSeq -t_srs EPSG:4326 out.geojsonl in.gml` on the same file.
 * Goal: ≥ 0.5× ogr2ogr's features/s.
 *
 *   node --import @swc-node/register/esm-register bench/gml.bench.ts [n] [--no-pipeline]
 *
 * ogr2ogr comes from Debian's gdal-bin; without it the peer is skipped and only our figure is
 * printed. Then the full pipeline (extract → validate → COPY into staging → merge into
 * core.geo_feature) is timed on a fresh embedded PostgreSQL and reported separately
 * (`--no-pipeline` skips it).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:net';
import { createLogger } from '@hro/api';
import { createOrm, createPool, migrate, startEmbeddedPostgres } from '@hro/api/db';
import { connectors, recordsOf, runSource, type ExtractContext } from '@hro/etl';

export const name = 'gml';

/** A deterministic pseudo-random sequence (the same file on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Writes a GML 3.2 FeatureCollection like a WFS 2.0 server sends it: building footprints around
 * Rostock (EPSG:25833), 6–12 vertices, every tenth with a courtyard (interior ring), four attributes.
 */
export async function generateGml(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  const rnd = random(4711);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(
    `<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" ` +
      `xmlns:hro="https://geo.sv.rostock.de/hro" numberMatched="${n}" numberReturned="${n}" timeStamp="2026-11-25T12:00:00Z">\n`,
  );
  const ring = (cx: number, cy: number, r: number, k: number) => {
    const pts: string[] = [];
    for (let i = 0; i < k; i++) {
      const a = (2 * Math.PI * i) / k;
      pts.push(`${(cx + r * Math.cos(a)).toFixed(3)} ${(cy + r * Math.sin(a)).toFixed(3)}`);
    }
    pts.push(pts[0] as string);
    return pts.join(' ');
  };
  for (let i = 1; i <= n; i++) {
    const cx = 300_000 + rnd() * 30_000;
    const cy = 5_990_000 + rnd() * 20_000;
    const r = 5 + rnd() * 25;
    const k = 6 + Math.floor(rnd() * 7);
    const interior =
      i % 10 === 0
        ? `<gml:interior><gml:LinearRing><gml:posList>${ring(cx, cy, r / 3, 4)}</gml:posList></gml:LinearRing></gml:interior>`
        : '';
    await write(
      `  <wfs:member>\n    <hro:gebaeude gml:id="gebaeude.${i}">\n      <hro:id>${i}</hro:id>\n` +
        `      <hro:name>Gebäude ${i} &amp; Nebengebäude</hro:name>\n      <hro:art>${i % 3 === 0 ? 'Wohngebäude' : 'Gewerbe'}</hro:art>\n` +
        `      <hro:geschosse>${1 + (i % 6)}</hro:geschosse>\n      <hro:geom><gml:Polygon gml:id="gebaeude.${i}.geom" srsName="urn:ogc:def:crs:EPSG::25833">` +
        `<gml:exterior><gml:LinearRing><gml:posList srsDimension="2">${ring(cx, cy, r, k)}</gml:posList></gml:LinearRing></gml:exterior>${interior}` +
        `</gml:Polygon></hro:geom>\n    </hro:gebaeude>\n  </wfs:member>\n`,
    );
  }
  await write('</wfs:FeatureCollection>\n');
  out.end();
  await once(out, 'finish');
}

/** Our extract path over the file: parse, reproject, build the records (no database). */
async function measureExtract(path: string): Promise<{ features: number; seconds: number }> {
  const log = createLogger('silent');
  const geo = connectors.geo;
  const config = geo.configSchema.parse({
    layer: 'bench',
    title: 'Benchmark',
    file: path,
    propertyTypes: { id: 'integer', geschosse: 'integer' },
  });
  const ctx: ExtractContext = {
    log,
    baseDir: '/',
    signal: new AbortController().signal,
    cursor: null,
    advanceCursor: () => {},
    env: {},
    addBytes: () => {},
  };
  const start = process.hrtime.bigint();
  let features = 0;
  for await (const item of geo.extract(config, ctx)) for (const r of recordsOf(item)) if (r.entity === 'feature') features++;
  return { features, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function measureOgr(path: string, dir: string): { features: number; seconds: number; version: string } | { skipped: string } {
  const version = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { skipped: 'ogr2ogr not found (apt-get install -y gdal-bin)' };
  const target = join(dir, 'out.geojsonl');
  const start = process.hrtime.bigint();
  const run = spawnSync('ogr2ogr', ['-f', 'GeoJSONSeq', '-t_srs', 'EPSG:4326', target, path], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) return { skipped: `ogr2ogr failed: ${run.stderr.slice(0, 300)}` };
  const lines = spawnSync('wc', ['-l', target], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0];
  return { features: Number(lines), seconds, version: version.stdout.trim() };
}

/** The full pipeline (extract → validate → COPY into staging → merge into core.geo_feature) on a fresh embedded PostgreSQL. */
async function measurePipeline(path: string, dir: string): Promise<{ features: number; seconds: number; status: string }> {
  const log = createLogger('warn');
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), port, log });
  try {
    const orm = await createOrm(cluster.url, log, 2);
    await migrate(orm);
    await orm.close(true);
    const pool = createPool(cluster.url, 4);
    try {
      const start = process.hrtime.bigint();
      const run = await runSource(
        pool,
        {
          name: 'bench-gml',
          title: 'GML-Benchmark',
          connector: 'geo',
          schedule: undefined,
          drift: 'evolve',
          sample: false,
          enabled: true,
          config: connectors.geo.configSchema.parse({ layer: 'bench-gml', title: 'Benchmark', file: path }),
          baseDir: '/',
        },
        { log },
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      return { features: run.loaded + run.unchanged - 1, seconds, status: run.error ?? run.status };
    } finally {
      await pool.end();
    }
  } finally {
    await cluster.stop();
  }
}

/** Generates the file, runs both sides, prints features/s and the ratio. */
export async function measure(n = 100_000, pipeline = true): Promise<{ ours: number; ogr?: number; ratio?: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hro-gml-bench-'));
  // the embedded cluster runs as the postgres OS user when the bench runs as root
  chmodSync(dir, 0o755);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    const path = join(dir, 'in.gml');
    await generateGml(path, n);
    out(`gml bench: ${n} polygon features, EPSG:25833, GML 3.2, ${(statSync(path).size / 1e6).toFixed(1)} MB`);
    const rssBefore = process.memoryUsage().rss;
    const ours = await measureExtract(path);
    const oursRate = ours.features / ours.seconds;
    out(
      `  ours (extract: parse + reproject): ${ours.features} features in ${ours.seconds.toFixed(2)} s = ${Math.round(oursRate)} features/s` +
        ` (RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, before ${(rssBefore / 1e6).toFixed(0)} MB)`,
    );
    const ogr = measureOgr(path, dir);
    let result: { ours: number; ogr?: number; ratio?: number } = { ours: oursRate };
    if ('skipped' in ogr) {
      out(`  ogr2ogr: skipped – ${ogr.skipped}`);
    } else {
      const ogrRate = ogr.features / ogr.seconds;
      out(
        `  ogr2ogr -f GeoJSONSeq -t_srs EPSG:4326 (${ogr.version}): ${ogr.features} features in ${ogr.seconds.toFixed(2)} s = ${Math.round(ogrRate)} features/s`,
      );
      out(`  ratio ours/ogr2ogr: ${(oursRate / ogrRate).toFixed(2)}× (goal ≥ 0.5×)`);
      result = { ours: oursRate, ogr: ogrRate, ratio: oursRate / ogrRate };
    }
    if (pipeline) {
      const p = await measurePipeline(path, dir);
      out(
        `  full pipeline into PostgreSQL (${p.status}): ${p.features} features in ${p.seconds.toFixed(2)} s = ${Math.round(p.features / p.seconds)} features/s`,
      );
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  await measure(n > 0 ? n : 100_000, !process.argv.includes('--no-pipeline'));
}
