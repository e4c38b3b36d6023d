import { setFlagsFromString } from 'node:v8';
if (process.env.NOPRE) setFlagsFromString('--no-allocation-site-pretenuring');
import { generate } from '../../../bench/csv.bench.js';
import { existsSync } from 'node:fs';
import { readCsv } from './connectors/csv/read-csv.js';
import { extractFeed } from './connectors/fachverfahren/extract.js';
import { metricEntity } from './connectors/fachverfahren/metrics.js';
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
const file = '/tmp/csvb/f1m.csv';
if (!existsSync(file)) await generate(file, 1_000_000);
const mode = process.argv[2];
let t = performance.now();
let n = 0;
if (mode === 'rawparse') {
  const p = createReadStream(file).pipe(
    parse({
      delimiter: ';',
      relax_column_count: true,
      info: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
    }),
  );
  for await (const r of p) n++;
} else if (mode === 'readcsv') {
  for await (const r of readCsv(file, { encoding: 'iso-8859-1', delimiter: ';' })) n++;
} else {
  const ctx: any = { log: { info() {} }, baseDir: '/tmp/csvb', signal: new AbortController().signal, addBytes() {} };
  for await (const b of extractFeed(
    {
      feed: 'fallzahlen',
      path: 'f1m.csv',
      encoding: 'iso-8859-1',
      delimiter: ';',
      decimal: ',',
      dateFormat: 'DD.MM.YYYY',
      skipLines: 0,
    } as any,
    ctx,
  ))
    for (const r of b) {
      n++;
      if (mode === 'validate') {
        const p = metricEntity.schema.safeParse(r.data);
        if (!p.success) throw new Error(JSON.stringify(p.error.issues) + JSON.stringify(r));
        if (mode === 'validate' && process.argv[3]) JSON.stringify(p.data);
      }
    }
}
const cpu = process.cpuUsage();
console.log(mode, n, ((performance.now() - t) / 1000).toFixed(2), 's wall', ((cpu.user + cpu.system) / 1e6).toFixed(2), 's cpu');
