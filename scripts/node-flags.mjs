// V8 flags and malloc setting of our processes: `npm start` (scripts/bootstrap.mjs) starts the
// server with them and `npm run etl` the ETL, and the benchmarks start theirs the same way
// (bench/export.bench.ts, bench/csv.bench.ts). Plain JavaScript without dependencies, like
// bootstrap.mjs, which imports it before anything is installed.
//
// The server. Why: V8 sizes the young generation by the machine's memory — on a 24 GB machine each of
// its two semi-spaces grows to 32 MB (under GraphQL load up to 64 MB), and what is allocated there
// becomes resident. 4 MB semi-spaces keep the server ≈ 30 MB lower after start and ≈ 110 MB lower
// while it exports 1M rows, at the same download speed (README, "Measured figures"); at 2 MB the
// rows of a download's batch outlive two scavenges and pile up in the old generation instead. The
// price is GraphQL's: under load its garbage collection takes ≈ 28 % of the server's time instead
// of ≈ 15 %, ≈ 10–25 % more CPU per request on the KPI and bbox queries (none on the others;
// bench/graphql with HRO_BENCH_OURS_NODE_FLAGS). A deployment that serves mostly GraphQL sets
// NODE_OPTIONS=--max-semi-space-size=16 (or more) and trades the memory back. The old generation
// stays uncapped: it holds what the process really keeps (schema, caches), and a cap near that
// makes every full collection thrash. Pretenuring (see the ETL's flags) changes nothing here:
// request objects die young.
export const serverNodeFlags = ['--max-semi-space-size=4'];

/**
 * The ETL (`npm run etl`: runs and workers). A million-row export is a stream of short-lived
 * objects (cells, rows, records, COPY lines), each batch of them alive for a moment:
 * - `--no-allocation-site-pretenuring`: V8 saw rows of a batch outlive a scavenge and began to
 *   allocate them straight in the old generation, which then filled every few hundred
 *   milliseconds; without it a 1M-row case-numbers run spends ≈ 25 % less CPU (README, "The ETL").
 * - `--max-old-space-size=384`: what a run keeps is small (≈ 50 MB besides the module graph), but
 *   uncapped V8 lets garbage grow to ≈ 150 MB before collecting; the cap holds a 1M/5M-row run
 *   well under 300 MB resident at the same speed.
 * - `--max-semi-space-size=32`: the young generation of a big machine, kept under the cap (V8 would
 *   shrink it with the old generation, and a small one promotes whole batches: 5× slower).
 */
export const etlNodeFlags = ['--max-old-space-size=384', '--max-semi-space-size=32', '--no-allocation-site-pretenuring'];

/**
 * glibc's malloc gives each thread that allocates its own arena; V8's GC helpers and the socket
 * buffers of an export spread over several, which kept ≈ 10 MB more resident after a 1M-row
 * download. With two arenas the export peaked at 139–146 MB instead of 143–161 MB, at the same
 * speed. The environment's own value wins.
 */
export function serverEnv(env = process.env) {
  return { MALLOC_ARENA_MAX: '2', ...env };
}

/** The flags of `flags` that NODE_OPTIONS does not set itself: a setting there wins. */
export function flagsBesides(nodeOptions, flags = serverNodeFlags) {
  const named = (flag) => flag.replace(/^--/, '').split('=')[0].replaceAll('_', '-');
  const given = new Set(
    (nodeOptions ?? '')
      .split(/\s+/)
      .filter((o) => o.startsWith('--'))
      .map(named),
  );
  return flags.filter((flag) => !given.has(named(flag)));
}
