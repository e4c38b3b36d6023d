import type { Pool } from 'pg';

/**
 * Requests per API key and day, counted without a database write per request: each process adds
 * up its requests in memory and writes them in one statement at most every FLUSH_MS (and when
 * the server closes, and before a page or the CLI shows the counts). A crash loses at most the
 * last interval's counts of that process — acceptable for a usage statistic, and no request ever
 * waits for it. The day is the calendar day in Rostock (Europe/Berlin).
 */
const FLUSH_MS = 15_000;
// a bound on what one process keeps between flushes (distinct key-days, not requests)
const MAX_PENDING = 50_000;

interface Pending {
  counts: Map<string, { keyId: number; day: string; requests: number; lastAt: number }>;
  timer?: NodeJS.Timeout;
}
const pending = new Map<Pool, Pending>();

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' });

// Intl's formatting is a noticeable part of a cheap request (bench/graphql), and every request with
// a key asks; Berlin is a whole number of hours off UTC (since 1893), so its day changes on the hour
let lastHour: { hour: number; day: string } | undefined;

/** The calendar day (YYYY-MM-DD) in Rostock of an instant. */
export function usageDay(at: Date = new Date()): string {
  const hour = Math.floor(at.getTime() / 3_600_000);
  if (lastHour?.hour !== hour) lastHour = { hour, day: dayFormat.format(at) };
  return lastHour.day;
}

/** Counts one request made with the key; the count reaches the database with the next flush. */
export function countKeyUse(pool: Pool, keyId: number, at: Date = new Date()): void {
  let entry = pending.get(pool);
  if (!entry) {
    entry = { counts: new Map() };
    pending.set(pool, entry);
  }
  const day = usageDay(at);
  const slot = `${keyId}|${day}`;
  const count = entry.counts.get(slot);
  if (count) {
    count.requests += 1;
    count.lastAt = Math.max(count.lastAt, at.getTime());
  } else if (entry.counts.size < MAX_PENDING) {
    entry.counts.set(slot, { keyId, day, requests: 1, lastAt: at.getTime() });
  }
  if (!entry.timer) {
    const scheduled = entry;
    scheduled.timer = setTimeout(() => {
      scheduled.timer = undefined;
      // a failed timed flush keeps its counts for the next one; nobody waits for it
      flushKeyUsage(pool).catch(() => undefined);
    }, FLUSH_MS);
    // the counter never keeps a process alive
    scheduled.timer.unref();
  }
}

/**
 * Writes the counted requests of this process: per key and day into core.api_key_usage, and
 * the total and last use onto core.api_key — one statement. Counts of keys that no longer exist
 * are dropped; on a database error the counts are kept for the next flush and the error thrown.
 */
export async function flushKeyUsage(pool: Pool): Promise<void> {
  const entry = pending.get(pool);
  if (!entry || entry.counts.size === 0) return;
  const batch = [...entry.counts.values()];
  entry.counts.clear();
  try {
    await pool.query(
      `with u as (
         select * from unnest($1::int[], $2::date[], $3::bigint[], $4::timestamptz[]) as u(key_id, day, requests, last_at)
         where exists (select 1 from core.api_key k where k.id = u.key_id)
       ), counted as (
         insert into core.api_key_usage (key_id, day, requests)
         select key_id, day, requests from u
         on conflict (key_id, day) do update set requests = core.api_key_usage.requests + excluded.requests
       )
       update core.api_key k
          set usage_count = k.usage_count + s.requests,
              last_used_at = greatest(k.last_used_at, s.last_at)
         from (select key_id, sum(requests) as requests, max(last_at) as last_at from u group by key_id) s
        where k.id = s.key_id`,
      [batch.map((b) => b.keyId), batch.map((b) => b.day), batch.map((b) => b.requests), batch.map((b) => new Date(b.lastAt))],
    );
  } catch (e) {
    for (const b of batch) {
      const slot = `${b.keyId}|${b.day}`;
      const now = entry.counts.get(slot);
      if (now) {
        now.requests += b.requests;
        now.lastAt = Math.max(now.lastAt, b.lastAt);
      } else entry.counts.set(slot, b);
    }
    throw e;
  }
}
