import type { PoolClient } from 'pg';
import { addCounts, type MergeContext, type MergeCounts } from '../connector.js';
import { upsert } from '../../pipeline/upsert.js';

/**
 * The topic of a staged service row: its Lebenslage under its Themenfeld (both matched by name,
 * as the export resolves them to names), else the Themenfeld alone, else none.
 */
const topicOf = `coalesce(
  (select t.id from core.ozg_topic t join core.ozg_topic p on p.id = t.parent_id
    where t.kind = 'lebenslage' and t.name = r.lebenslage and p.name = r.themenfeld order by t.id limit 1),
  (select t.id from core.ozg_topic t where t.kind = 'themenfeld' and t.name = r.themenfeld order by t.id limit 1))`;

/** Runs of the source being merged ($1: this run's id): maturity and checklist rows it wrote. */
const sourceRuns = `(select id from etl.run where source = (select source from etl.run where id = $1))`;

/**
 * Merges the catalog in the run's transaction: code lists, topics, OZG services, LeiKa entries
 * (full refresh: what the files no longer list is deleted), then the maturity with its history
 * and the checklist answers the 1.1 levels imply.
 */
export async function mergeCatalog(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const { runId } = ctx;
  let counts: MergeCounts = { loaded: 0, unchanged: 0, deleted: 0 };
  const add = (c: MergeCounts) => {
    counts = addCounts(counts, c);
  };
  const deleted = (n: number | null) => add({ loaded: 0, unchanged: 0, deleted: n ?? 0 });

  add(
    await upsert(tx, {
      table: 'core.ozg_code',
      key: ['list', 'code'],
      runId,
      fullRefresh: true,
      from: ctx.staged('code'),
      columns: ['list', 'code', 'level', 'name'],
    }),
  );
  add(
    await upsert(tx, {
      table: 'core.ozg_topic',
      key: ['key'],
      runId,
      from: ctx.staged('themenfeld'),
      columns: ['key', 'name'],
      derived: { kind: `'themenfeld'`, parent_id: 'null::integer' },
    }),
  );
  add(
    await upsert(tx, {
      table: 'core.ozg_topic',
      key: ['key'],
      runId,
      from: ctx.staged('lebenslage'),
      columns: ['key', 'name'],
      derived: {
        kind: `'lebenslage'`,
        parent_id: `(select p.id from core.ozg_topic p where p.key = r.parent_key and p.kind = 'themenfeld')`,
      },
    }),
  );

  // Topics the files no longer list: whatever points at them lets go, then they go.
  for (const [kind, entity] of [
    ['lebenslage', 'lebenslage'],
    ['themenfeld', 'themenfeld'],
  ] as const) {
    const stale = `select t.id from core.ozg_topic t where t.kind = '${kind}' and not exists (select 1 from ${ctx.staged(entity)} where r.key = t.key)`;
    await tx.query(`update core.service set topic_id = null where topic_id in (${stale})`);
    await tx.query(`update core.ozg_topic set parent_id = null where parent_id in (${stale})`);
    deleted((await tx.query(`delete from core.ozg_topic where id in (${stale})`)).rowCount);
  }

  const ozg = ctx.staged('ozg_service');
  add(
    await upsert(tx, {
      table: 'core.service',
      key: ['key'],
      runId,
      from: ozg,
      columns: ['key', 'ozg_id', 'title', 'description', 'implementation_status', 'implementation_status_raw'],
      derived: { kind: `'ozg'`, leika_key: 'null::text', parent_id: 'null::integer', topic_id: topicOf, source_position: 'r._position' },
    }),
  );
  // OZG services the file no longer lists: their entries lose the parent, then they go.
  await keepMeasured(tx, ctx, 'ozg', ozg);
  const staleOzg = `select t.id from core.service t where t.kind = 'ozg' and not exists (select 1 from ${ozg} where r.key = t.key)`;
  await tx.query(`update core.service set parent_id = null where parent_id in (${staleOzg})`);
  deleted((await tx.query(`delete from core.service where id in (${staleOzg})`)).rowCount);
  const leika = ctx.staged('leika_service');
  await keepMeasured(tx, ctx, 'leika', leika);
  add(
    await upsert(tx, {
      table: 'core.service',
      key: ['key'],
      runId,
      from: leika,
      columns: [
        'key',
        'leika_key',
        'ozg_id',
        'title',
        'leika_type',
        'legal_basis',
        'legal_basis_urls',
        'law_name',
        'law_abbreviation',
        'implementation_status',
        'implementation_status_raw',
      ],
      derived: {
        kind: `'leika'`,
        parent_id: `(select p.id from core.service p where p.kind = 'ozg' and p.ozg_id = r.ozg_id)`,
        topic_id: topicOf,
        source_position: 'r._position',
      },
      fullRefresh: { where: `t.kind = 'leika'` },
    }),
  );
  await warnUnresolvedTopics(tx, ctx, [ozg, leika]);

  add(await mergeMaturity(tx, ctx));
  await deriveChecklist(tx, runId);
  return counts;
}

/**
 * A catalog service the files no longer list but for which another source delivered case numbers
 * is not deleted (with its numbers): it stays as a `local` service, and comes back as a catalog
 * service (upsert by key) when the catalog lists it again.
 */
async function keepMeasured(tx: PoolClient, ctx: MergeContext, kind: 'ozg' | 'leika', staged: string): Promise<void> {
  const { rowCount } = await tx.query(
    `update core.service t set kind = 'local', parent_id = null, last_run_id = $1
     where t.kind = '${kind}' and not exists (select 1 from ${staged} where r.key = t.key)
       and exists (select 1 from core.service_metric m where m.service_id = t.id)`,
    [ctx.runId],
  );
  if (rowCount)
    ctx.log.info({ services: rowCount, kind }, 'services no longer in the catalog kept as local services: they have case numbers');
}

async function warnUnresolvedTopics(tx: PoolClient, ctx: MergeContext, relations: string[]): Promise<void> {
  for (const relation of relations) {
    const { rows } = await tx.query<{ n: number }>(
      `select count(*)::int as n from ${relation} join core.service s on s.key = r.key
       where s.topic_id is null and (r.lebenslage <> '' or r.themenfeld <> '')`,
    );
    const n = rows[0]?.n ?? 0;
    if (n > 0) ctx.log.warn({ services: n }, 'services name a Lebenslage/Themenfeld the code lists do not contain; loaded without topic');
  }
}

/**
 * Maturity with history: a (service, model, IST/SOLL) whose level or target date changed gets
 * its current row closed (valid_to = now()) and a new one; unchanged rows stay untouched; a row
 * this source wrote that the file no longer lists is closed; a target set through the API stands
 * until the file's own value for it changes. Counts per staged row.
 */
async function mergeMaturity(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const staged = ctx.staged('maturity');
  const total = await ctx.stagedCount('maturity');
  const resolved = `${staged} join core.service s on s.key = r.service_key`;
  const { rows } = await tx.query<{ n: number }>(`select count(*)::int as n from ${resolved}`);
  if ((rows[0]?.n ?? 0) !== total) {
    throw new Error(`maturity: ${total - (rows[0]?.n ?? 0)} rows name a service that this run did not load`);
  }
  // A target the steering team set through the API (origin 'api', migration 0015) is the newer
  // decision: it stands while the file repeats the value it last wrote for that target, and
  // yields once the file's own value changes.
  await tx.query(
    `update core.service_maturity cur set valid_to = now()
     from ${resolved}
     where cur.service_id = s.id and cur.model = r.model and cur.kind = r.kind and cur.valid_to is null
       and (cur.level, cur.target_date) is distinct from (r.level, r.target_date)
       and not (cur.origin = 'api' and exists (
         select 1 from (select l.level, l.target_date from core.service_maturity l
                        where l.service_id = cur.service_id and l.model = cur.model and l.kind = cur.kind and l.run_id in ${sourceRuns}
                        order by l.valid_from desc, l.id desc limit 1) last
         where (last.level, last.target_date) is not distinct from (r.level, r.target_date)))`,
    [ctx.runId],
  );
  await tx.query(
    `update core.service_maturity cur set valid_to = now()
     where cur.valid_to is null and cur.run_id in ${sourceRuns}
       and not exists (select 1 from ${resolved} where s.id = cur.service_id and r.model = cur.model and r.kind = cur.kind)`,
    [ctx.runId],
  );
  const inserted = await tx.query(
    `insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from, run_id)
     select s.id, r.model, r.kind, r.level, r.target_date, now(), $1
     from ${resolved}
     where not exists (select 1 from core.service_maturity cur
                       where cur.service_id = s.id and cur.model = r.model and cur.kind = r.kind and cur.valid_to is null)
       -- a target removed through the API stays removed while the file repeats its last value
       and not exists (
         select 1 from (select l.closed_by from core.service_maturity l
                        where l.service_id = s.id and l.model = r.model and l.kind = r.kind
                        order by l.valid_from desc, l.id desc limit 1) latest
         where latest.closed_by is not null and exists (
           select 1 from (select l.level, l.target_date from core.service_maturity l
                          where l.service_id = s.id and l.model = r.model and l.kind = r.kind and l.run_id in ${sourceRuns}
                          order by l.valid_from desc, l.id desc limit 1) last
           where (last.level, last.target_date) is not distinct from (r.level, r.target_date)))
     order by r._seq`,
    [ctx.runId],
  );
  const loaded = inserted.rowCount ?? 0;
  return { loaded, unchanged: total - loaded, deleted: 0 };
}

/**
 * Checklist answers that the current IST level of model 1.1 implies by the model's definitions
 * (README "Checkliste"): level ≥ 1 → information online, 0 → not; ≥ 2 → form online and
 * fillable; ≥ 3 → submittable, ≤ 2 → not. Nothing else is derived. Answers another source wrote
 * are never overwritten; derived answers whose level is gone are removed. Written only once the
 * strategy source has loaded the nine questions.
 */
async function deriveChecklist(tx: PoolClient, runId: number): Promise<void> {
  const derived = `with derived as (
      select m.service_id, d.question_key, d.fulfilled
      from core.service_maturity m
      cross join lateral (values
        ('information_online', m.level >= 1),
        ('form_online', case when m.level >= 2 then true end),
        ('fillable', case when m.level >= 2 then true end),
        ('submittable', m.level >= 3)) as d(question_key, fulfilled)
      where m.model = '1.1' and m.kind = 'ist' and m.valid_to is null and m.run_id in ${sourceRuns}
        and d.fulfilled is not null
        and exists (select 1 from core.checklist_question q where q.key = d.question_key))`;
  await tx.query(
    `${derived}
     delete from core.service_checklist c
     where c.run_id in ${sourceRuns}
       and not exists (select 1 from derived d where d.service_id = c.service_id and d.question_key = c.question_key)`,
    [runId],
  );
  await tx.query(
    `${derived}
     insert into core.service_checklist as c (service_id, question_key, fulfilled, run_id)
     select service_id, question_key, fulfilled, $1 from derived
     on conflict (service_id, question_key) do update set fulfilled = excluded.fulfilled, run_id = excluded.run_id
       where c.fulfilled is distinct from excluded.fulfilled and c.run_id in ${sourceRuns}`,
    [runId],
  );
}
