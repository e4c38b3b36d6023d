// V8 flags and malloc setting of the server process: `npm start` (scripts/bootstrap.mjs) starts
// it with them, and bench/export.bench.ts starts its server the same way. Plain JavaScript without
// dependencies, like bootstrap.mjs, which imports it before anything is installed.
//
// Why: V8 sizes the young generation by the machine's memory — on a 24 GB machine each of its two
// semi-spaces grows to 32 MB, and what is allocated there becomes resident. 4 MB semi-spaces keep
// the server ≈ 30 MB lower after start and ≈ 110 MB lower while it exports 1M rows, at the same
// speed (README, "Measured figures"); at 2 MB the rows of a download's batch outlive two
// scavenges and pile up in the old generation instead. The old generation stays uncapped: it
// holds what the process really keeps (schema, caches), and a cap near that makes every full
// collection thrash.
export const serverNodeFlags = ['--max-semi-space-size=4'];

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
