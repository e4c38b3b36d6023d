/**
 * metadata_modified benchmark: what the end of an ETL run pays to find out whether a dataset's
 * data changed (touchChangedDatasets: the tables the transaction wrote → candidate datasets → one
 * fingerprint scan of each candidate's open view), on 1M rows of core.service_metric behind
 * open.service_metrics_monthly, against two scans of the same view side by side: `count(*)` (the
 * planner may skip the columns) and the text of every row (`sum(length(v::text))`, every value read
 * once — what any full export of the view costs at least).
 *
 *   node --import @swc-node/register/esm-register bench/fingerprint.bench.ts [rows]
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger, freePort } from '@hro/api';
import { createOrm, createPool, migrate, startEmbeddedPostgres } from '@hro/api/db';
import { syncCatalog, touchChangedDatasets } from '@hro/api/domain';

export const name = 'fingerprint';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function measure(rows = 1_000_000): Promise<{ touch: number; scan: number; text: number; ratio: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hro-fingerprint-bench-'));
  chmodSync(dir, 0o755); // the embedded cluster runs as the postgres OS user when the bench runs as root
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const log = createLogger('warn');
  const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), port: await freePort(), log });
  try {
    const orm = await createOrm(cluster.url, log, 2);
    await migrate(orm);
    await orm.close(true);
    const pool = createPool(cluster.url, 2);
    try {
      await syncCatalog(pool);
      const services = Math.ceil(rows / 100);
      await pool.query(
        `insert into core.service (key, kind, title) select 'local:bench-' || g, 'local', 'Leistung ' || g from generate_series(1, $1) g`,
        [services],
      );
      await pool.query(
        `insert into core.service_metric (service_id, month, applications_online, applications_offline, appointments, median_processing_days)
         select s.id, date '2010-01-01' + (m || ' months')::interval, (s.id * 7 + m) % 50, (s.id + m * 3) % 40, (s.id + m) % 9, ((s.id + m) % 30) / 2.0
         from core.service s cross join generate_series(0, 99) m where s.key like 'local:bench-%'`,
      );
      await pool.query('analyze');
      // first fingerprint (as the catalog sync records it)
      await pool.query(`update catalog.dataset set data_fingerprint = null`);
      await syncCatalog(pool);
      out(`fingerprint bench: ${rows} rows in core.service_metric, open.service_metrics_monthly; 2-vCPU machine shared with other work`);

      const touch: number[] = [];
      const scan: number[] = [];
      const text: number[] = [];
      for (let i = 0; i < 3; i++) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          // one changed value, as a run that changes the data leaves it
          await client.query(
            `update core.service_metric set applications_online = applications_online + 100 where (service_id, month) = (select service_id, month from core.service_metric limit 1)`,
          );
          let t = process.hrtime.bigint();
          const touched = await touchChangedDatasets(client);
          touch.push(Number(process.hrtime.bigint() - t) / 1e9);
          if (!touched.includes('fallzahlen-verwaltungsleistungen-monatlich'))
            throw new Error(`expected the Fallzahlen dataset, got ${touched.join(', ')}`);
          t = process.hrtime.bigint();
          await client.query(`select count(*) from open.service_metrics_monthly`);
          scan.push(Number(process.hrtime.bigint() - t) / 1e9);
          t = process.hrtime.bigint();
          await client.query(`select sum(length(v::text)) from open.service_metrics_monthly v`);
          text.push(Number(process.hrtime.bigint() - t) / 1e9);
          await client.query('rollback');
        } finally {
          client.release();
        }
      }
      const result = { touch: median(touch), scan: median(scan), text: median(text), ratio: median(touch) / median(text) };
      out(
        `touchChangedDatasets: ${result.touch.toFixed(2)} s (runs ${touch.map((s) => s.toFixed(2)).join(', ')}); ` +
          `count(*) over the view: ${result.scan.toFixed(2)} s; text of every row: ${result.text.toFixed(2)} s ` +
          `(runs ${text.map((s) => s.toFixed(2)).join(', ')}); ratio to the text scan ${result.ratio.toFixed(2)}×`,
      );
      return result;
    } finally {
      await pool.end();
    }
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await measure(Number(process.argv[2] ?? 1_000_000));
}
