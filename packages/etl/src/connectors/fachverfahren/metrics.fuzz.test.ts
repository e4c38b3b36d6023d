// Property-based test of a whole ETL run: an export of monthly case numbers with bad rows planted
// at random places (broken numbers, impossible months, cut-off keys, wrong field counts, repeated
// keys) loads every sound row, quarantines every bad one at its line with a reason, and its counts
// add up — whatever the mix.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { runSource } from '../../pipeline/run-source.js';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { fuzzRuns } from '../../testing/fuzz.js';
import { bundledSource, copySource, type SourceCopy } from './test-sources.js';

const runs = fuzzRuns(12);
process.stdout.write(`ETL run fuzz: ${runs} runs (HRO_FUZZ_RUNS)\n`);

let db: TestDatabase;
let copy: SourceCopy;
beforeAll(async () => {
  db = await createTestDatabase();
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
  expect((await runSource(db.pool, strategy, { log: db.log })).status).toBe('succeeded');
  copy = copySource(bundledSource('fachverfahren-fallzahlen'));
});
afterAll(async () => {
  copy.remove();
  await db.close();
});

const header = 'Leistung;Leistungsbezeichnung;Monat;Anträge online;Anträge offline;Termine;Median Bearbeitungstage;Amt';
const bad = [
  (s: string, m: string) => `${s};Kaputt;${m};12x;1;2;3,5;32.2`, // not a number
  (s: string) => `${s};Kaputt;13.2024;1;1;2;3,5;32.2`, // no such month
  (_s: string, m: string) => `9911500400;Abgeschnitten;${m};1;1;2;3,5;32.2`, // cut-off LeiKa key
  (s: string, m: string) => `${s};Zu kurz;${m};1`, // too few fields
  (s: string, m: string) => `${s};Negativ;${m};-4;1;2;3,5;32.2`, // a count below zero
];

describe('an ETL run over an export with planted bad rows (property-based)', () => {
  it('loads the sound rows, quarantines each bad one at its line, and counts add up', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: bad.length - 1 })), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        async (kinds, repeatLast) => {
          round++;
          // each round its own months, so that every sound row is new (loaded, not unchanged)
          const year = 1900 + round;
          // the statistics module's title row (skipLines: 1 in sources.yaml), then the header
          const lines = ['Fallzahlen je Leistung (Testlauf)', header];
          const badLines: number[] = [];
          kinds.forEach((kind, i) => {
            const service = `99115004${String(100000 + i).slice(1)}0`;
            const month = `${String((i % 12) + 1).padStart(2, '0')}.${year + Math.floor(i / 12) * 200}`;
            if (kind < 0) lines.push(`${service};Leistung ${i};${month};${i};${i + 1};${i + 2};${i},5;32.2`);
            else {
              lines.push((bad[kind] as (s: string, m: string) => string)(service, month));
              badLines.push(lines.length);
            }
          });
          const sound = kinds.filter((k) => k < 0).length;
          // the same key again: the earlier occurrence is quarantined, the last one loaded
          const firstSound = kinds.indexOf(-1);
          if (repeatLast && firstSound >= 0) {
            lines.push(lines[firstSound + 2] as string);
            badLines.push(firstSound + 3);
          }
          copy.write(`${lines.join('\r\n')}\r\n`);

          const run = await runSource(db.pool, copy.source, { log: db.log });
          expect(run.status, run.error).toBe('succeeded');
          expect(run.read).toBe(lines.length - 2);
          expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
          expect(run.loaded).toBe(sound);
          const { rows } = await db.pool.query<{ position: string; reason: string }>(
            `select position, reason from etl.quarantine where run_id = $1 order by id`,
            [run.runId],
          );
          const quarantinedLines = rows.map((r) => Number(r.position.split(':').at(-1))).sort((a, b) => a - b);
          expect(quarantinedLines).toEqual([...badLines].sort((a, b) => a - b));
          expect(rows.every((r) => r.reason.length > 10)).toBe(true);
        },
      ),
      { numRuns: runs },
    );
  });
});
