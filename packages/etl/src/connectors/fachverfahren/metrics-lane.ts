// The direct lane of the case numbers (core.service_metric, services × months: the one table of the
// platform that grows by millions of rows). See DirectLoad in connector.ts for the idea.
import type { PoolClient } from 'pg';
import type { DirectContext, DirectLane, DirectLoad } from '../connector.js';

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
/** Months since year 0 of an ISO date `YYYY-MM-DD` (the first of a month, as yearMonth yields it), read without a substring. */
const monthIndex = (iso: string) =>
  (digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3)) * 12 + digit(iso, 5) * 10 + digit(iso, 6) - 1;

/** The COPY texts of the counts most cells hold, made once (a number's text is a new string each time). */
const smallNumbers = Array.from({ length: 10_000 }, (_, n) => String(n));

/** A service's months this run has loaded directly: the line each came from, over a window that grows as needed. */
interface LoadedMonths {
  first: number;
  lines: Int32Array;
}

/** A service's months are tracked over at most this many months (a window beyond it sends rows the staged way). */
const MAX_WINDOW = 1200;
/** In a window, a month whose key a later record repeated: it is in the quarantine list already. */
const REPEATED = -1;

/**
 * Positions `<file>:<line>` of one file, kept as line numbers: a million positions as strings
 * would cost ~50 MB, as numbers 4 MB.
 */
class LinePositions {
  /** `<file>:` of the positions */
  prefix: string | undefined;

  /** The line of a record (RawRecord.line), or -1 when the extract does not tell it. */
  lineOf(position: string, line: number | undefined): number {
    if (line === undefined || line <= 0 || line > 0x7fffffff) return -1;
    this.prefix ??= position.slice(0, position.length - String(line).length);
    return line;
  }
}

/** Texts of other numbers (medians: a few hundred distinct values), remembered up to a bound. */
const otherNumbers = new Map<number, string>();

function copyNumber(value: unknown): string {
  if (typeof value !== 'number') return '\\N';
  // only a whole number may index the table: a fraction as index is a slow dictionary lookup
  if (Number.isInteger(value) && value >= 0 && value < smallNumbers.length) return smallNumbers[value] as string;
  let text = otherNumbers.get(value);
  if (text === undefined) {
    text = String(value);
    if (otherNumbers.size < 65_536) otherNumbers.set(value, text);
  }
  return text;
}

/**
 * Routes a validated case-numbers record: straight into core.service_metric when its service is
 * known (by LeiKa key, else by our key) and its month lies outside the months the table holds for
 * that service — a monthly export appends new months, and the first load of a history is all new.
 * A record of an unknown service (the merge creates it as a local service), of a month inside the
 * service's stored range (an update or a repeat: the merge counts it loaded or unchanged) or whose
 * key this run loaded already takes the staged way.
 */
export const metricsLane: DirectLoad = {
  async open(tx: PoolClient, ctx: DirectContext): Promise<DirectLane> {
    // Held until the commit: no service may vanish while rows naming it are copied (the table has
    // no row-level foreign keys, migration 0009), and no other run may add a month this lane
    // takes for new. Readers are not blocked.
    await tx.query('lock table core.service in share row exclusive mode');
    await tx.query('lock table core.service_metric in share row exclusive mode');
    const byLeika = new Map<string, number>();
    const byKey = new Map<string, number>();
    const services = await tx.query<{ id: number; key: string; leika_key: string | null }>(`select id, key, leika_key from core.service`);
    for (const s of services.rows) {
      byKey.set(s.key, s.id);
      if (s.leika_key !== null) byLeika.set(s.leika_key, s.id);
    }
    const orgUnits = new Map<string, number>();
    for (const o of (await tx.query<{ id: number; code: string }>(`select id, code from core.org_unit`)).rows) orgUnits.set(o.code, o.id);
    // per service, the span of months the table holds (one index-ordered pass over the primary key)
    const stored = new Map<number, [number, number]>();
    const spans = await tx.query<{ service_id: number; first: number; last: number }>(
      `select service_id,
              (extract(year from min(month)) * 12 + extract(month from min(month)) - 1)::int as first,
              (extract(year from max(month)) * 12 + extract(month from max(month)) - 1)::int as last
       from core.service_metric group by service_id`,
    );
    for (const s of spans.rows) stored.set(s.service_id, [s.first, s.last]);

    const loaded = new Map<number, LoadedMonths>();
    const positions = new LinePositions();
    /** keys whose directly loaded line a later record repeated: [service id, month index, earlier line, later position] */
    const repeated: [number, number, number, string][] = [];
    let lines = 0;
    const runId = String(ctx.runId);

    /** A month's slot in the service's window, which grows as needed; undefined when it would grow too large. */
    function slot(serviceId: number, month: number): [LoadedMonths, number] | undefined {
      let months = loaded.get(serviceId);
      if (!months) {
        months = { first: month, lines: new Int32Array(12) };
        loaded.set(serviceId, months);
      }
      const last = months.first + months.lines.length - 1;
      if (month < months.first || month > last) {
        const low = Math.min(months.first, month);
        const high = Math.max(last, month);
        if (high - low + 1 > MAX_WINDOW) return undefined;
        // grow by at least a year, with the room on the side the months come from (an export may
        // run forwards or backwards in time), so a service's window is reallocated rarely
        const size = Math.min(MAX_WINDOW, Math.max(high - low + 1, months.lines.length + 12));
        const first = month < months.first ? high - size + 1 : low;
        const lines = new Int32Array(size);
        lines.set(months.lines, months.first - first);
        months = { first, lines };
        loaded.set(serviceId, months);
      }
      return [months, month - months.first];
    }

    return {
      copy: `copy core.service_metric (service_id, month, applications_online, applications_offline, appointments,
               median_processing_days, org_unit_id, run_id) from stdin`,

      line(record, position, sourceLine) {
        const leikaKey = record.leika_key as string | null;
        const serviceId = (leikaKey === null ? undefined : byLeika.get(leikaKey)) ?? byKey.get(record.service_key as string);
        if (serviceId === undefined) return undefined;
        const monthText = record.month as string;
        const month = monthIndex(monthText);
        const span = stored.get(serviceId);
        if (span && month >= span[0] && month <= span[1]) return undefined;
        const line = positions.lineOf(position, sourceLine);
        if (line < 0) return undefined;
        const found = slot(serviceId, month);
        if (!found) return undefined;
        const [months, i] = found;
        const earlier = months.lines[i] as number;
        if (earlier === REPEATED) return undefined;
        if (earlier > 0) {
          repeated.push([serviceId, month, earlier, position]);
          months.lines[i] = REPEATED;
          return undefined;
        }
        months.lines[i] = line;
        lines++;
        const orgUnit = record.org_unit_code === null ? undefined : orgUnits.get(record.org_unit_code as string);
        return `${serviceId}\t${monthText}\t${copyNumber(record.applications_online)}\t${copyNumber(record.applications_offline)}\t${copyNumber(record.appointments)}\t${copyNumber(record.median_processing_days)}\t${orgUnit ?? '\\N'}\t${runId}\n`;
      },

      async close(tx) {
        if (repeated.length > 0) {
          // the earlier occurrence of a repeated key goes to the quarantine as the staged way
          // would put it there; the later one is staged and merged
          await tx.query(
            `with gone as (
               delete from core.service_metric m
               using unnest($3::int[], $4::int[], $5::int[], $6::text[]) as d(service_id, month, line, later)
               where m.service_id = d.service_id and m.month = make_date(d.month / 12, d.month % 12 + 1, 1) and m.run_id = $1
               returning m.*, d.line, d.later)
             insert into etl.quarantine (run_id, source, position, raw, reason_code, reason)
             select $1, $2, $7 || g.line, jsonb_build_object('entity', 'metric', 'service_key', s.key, 'leika_key', s.leika_key,
                      'month', g.month, 'applications_online', g.applications_online, 'applications_offline', g.applications_offline,
                      'appointments', g.appointments, 'median_processing_days', g.median_processing_days, 'org_unit_code', o.code),
                    'ROW_DUPLICATE_KEY', 'key service_key+month appears again at ' || g.later || '; the last occurrence is loaded'
             from gone g join core.service s on s.id = g.service_id left join core.org_unit o on o.id = g.org_unit_id`,
            [
              ctx.runId,
              ctx.source,
              repeated.map((r) => r[0]),
              repeated.map((r) => r[1]),
              repeated.map((r) => r[2]),
              repeated.map((r) => r[3]),
              positions.prefix ?? '',
            ],
          );
        }
        // A first load of a history multiplies the table: the KPI snapshots and the views read
        // it in this transaction, and the planner must know its size to read it well.
        if (lines > 100_000 && lines > stored.size * 120) await tx.query('analyze core.service_metric');
        return { loaded: lines - repeated.length, quarantined: repeated.length };
      },
    };
  },
};
