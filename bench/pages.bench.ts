// Portal pages benchmark (issue 7, goal: server time p95 < 100 ms per page on the sample data).
// A fresh embedded PostgreSQL with every bundled sample source loaded, the real app on a loopback
// port; each page type is requested `rounds` times, round-robin with the baseline — CKAN's
// package_show of the same dataset (a JSON answer from the same catalog rows, no rendering) — so
// every path sees the same machine. Server time is Fastify's reply.elapsedTime (request in to
// answer sent), as the access log would state it; the client's round trip is not counted.
//
//   node --import ./scripts/ts-hooks.mjs bench/pages.bench.ts [rounds]   (default 60)
import { fileURLToPath } from 'node:url';
import { createLogger } from '@hro/api';
import { createPool } from '@hro/api/db';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '@hro/portal';
import { withBenchDatabase } from './harness.js';

export const name = 'pages';

const here = fileURLToPath(import.meta.url);

type Role = 'anonymous' | 'steering' | 'admin';
/** Each page type once, as the role that sees it. */
const pages: { label: string; path: string; role: Role }[] = [
  { label: 'start', path: '/', role: 'anonymous' },
  { label: 'search', path: '/dataset', role: 'anonymous' },
  { label: 'search with q and facets', path: '/dataset?q=Rostock&tags=Geodaten&res_format=GeoJSON', role: 'anonymous' },
  { label: 'dataset (geo: preview + map)', path: '/dataset/stadtbereiche-rostock', role: 'anonymous' },
  {
    label: 'dataset (5,806 rows, page 3, sorted)',
    path: '/dataset/ozg-leistungen?vorschau_seite=3&vorschau_sortierung=title',
    role: 'anonymous',
  },
  { label: 'KPI page', path: '/kennzahlen', role: 'anonymous' },
  { label: 'sign-in', path: '/anmelden', role: 'anonymous' },
  { label: 'steering board', path: '/steuerung', role: 'steering' },
  { label: 'steering rows (procedures)', path: '/steuerung/fachverfahren', role: 'steering' },
  { label: 'ETL status', path: '/etl', role: 'admin' },
];
const baseline = {
  label: 'baseline: CKAN package_show (JSON)',
  path: '/api/3/action/package_show?id=stadtbereiche-rostock',
  role: 'anonymous' as Role,
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export interface PagesBenchResult {
  rounds: number;
  rows: { label: string; path: string; p50: number; p95: number; bytes: number }[];
  baseline: { p50: number; p95: number };
}

export async function measure(rounds = 60): Promise<PagesBenchResult> {
  const log = createLogger('warn');
  return withBenchDatabase('pages', log, async (url) => {
    const pool = createPool(url, 10);
    await syncCatalog(pool);
    await loadSampleSources(pool, 'always', log);
    const keys: Record<Role, Record<string, string>> = {
      anonymous: {},
      steering: { authorization: (await createApiKey(pool, { name: 'bench', role: 'steering' })).key },
      admin: { authorization: (await createApiKey(pool, { name: 'bench', role: 'admin' })).key },
    };
    const app = await createApp({ pool, log, introspection: false, rateLimits: { anonymous: 1_000_000, key: 1_000_000 } });
    const times = new Map<string, number[]>();
    app.addHook('onResponse', async (request, reply) => {
      const list = times.get(request.url) ?? [];
      list.push(reply.elapsedTime);
      times.set(request.url, list);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const site = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const bytes = new Map<string, number>();
    const all = [...pages, baseline];
    try {
      // warm-up: first renders, prepared statements, JIT
      for (let i = 0; i < 3; i++)
        for (const p of all) {
          const res = await fetch(`${site}${p.path}`, { headers: keys[p.role] });
          if (res.status !== 200) throw new Error(`${p.path}: HTTP ${res.status}`);
          bytes.set(p.path, (await res.arrayBuffer()).byteLength);
        }
      times.clear();
      for (let r = 0; r < rounds; r++)
        for (const p of all) await (await fetch(`${site}${p.path}`, { headers: keys[p.role] })).arrayBuffer();
      const statsOf = (path: string) => {
        const sorted = [...(times.get(path) ?? [])].sort((a, b) => a - b);
        return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
      };
      return {
        rounds,
        rows: pages.map((p) => ({ label: p.label, path: p.path, ...statsOf(p.path), bytes: bytes.get(p.path) ?? 0 })),
        baseline: statsOf(baseline.path),
      };
    } finally {
      await app.close();
      await pool.end();
    }
  });
}

if (process.argv[1] === here) {
  const rounds = Number(process.argv[2] ?? 60);
  const r = await measure(rounds);
  const f = (x: number) => x.toFixed(1);
  const lines = r.rows.map(
    (row) =>
      `| ${row.label} | ${f(row.p50)} ms | ${f(row.p95)} ms | ${(row.p95 / r.baseline.p95).toFixed(1)}× | ${(row.bytes / 1024).toFixed(0)} KB | ${row.p95 < 100 ? '✓' : '✗'} |`,
  );
  process.stdout.write(
    `\nPortal pages, server time over ${r.rounds} rounds (${new Date().toISOString().slice(0, 10)}), sample data\n\n` +
      `| page | p50 | p95 | p95 vs package_show | HTML | p95 < 100 ms |\n|---|---:|---:|---:|---:|---|\n${lines.join('\n')}\n` +
      `| baseline: CKAN package_show (JSON) | ${f(r.baseline.p50)} ms | ${f(r.baseline.p95)} ms | 1.0× | – | – |\n`,
  );
}
