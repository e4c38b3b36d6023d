import { authorize, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { stichtagOf } from '../monitoring/calendar.js';

export type ImpactDirection = 'downstream' | 'upstream' | 'both';

/** A walk through the interface graph stops at this many paths: a guard for dense graphs (README). */
export const MAX_WALK_ROWS = 200_000;

/**
 * The interface graph as directed edges (src → dst: data flows from src to dst; a two-way
 * interface is an edge both ways), turned around for upstream walks. $2 is the direction.
 */
const directedEdges = `
  edges(src, dst) as (
    select from_procedure_id, to_procedure_id from core.procedure_interface
    union
    select to_procedure_id, from_procedure_id from core.procedure_interface where direction = 'two_way'
  ),
  walk_edges(src, dst, via) as (
    select src, dst, 'downstream' from edges where $2 in ('downstream', 'both')
    union
    select dst, src, 'upstream' from edges where $2 in ('upstream', 'both')
  )`;

/**
 * All simple paths from the start procedures (`seed`: a condition over core.procedure p), each
 * node at most once per path — the cycle check: an edge back into the path is not followed but
 * kept as a row marked `cycle` — up to $3 interfaces.
 */
const walkSql = (seed: string) => `
  walk(start_id, id, depth, path, via, cycle) as (
    select p.id, p.id, 0, array[p.id], null::text, false from core.procedure p where ${seed}
    union all
    select w.start_id, e.dst, w.depth + 1, w.path || e.dst, coalesce(w.via, e.via), e.dst = any(w.path)
    from walk w join walk_edges e on e.src = w.id
    where not w.cycle and w.depth < $3 and ($2 <> 'both' or w.via is null or w.via = e.via)
  )`;

export interface ImpactedProcedureRow {
  key: string;
  name: string;
  depth: number;
  /** procedure keys from the replaced procedure to this one */
  path: string[];
  via: 'downstream' | 'upstream';
}

export interface CarriedServiceRow {
  serviceKey: string;
  title: string;
  procedureKey: string;
  depth: number;
}

export interface ImpactRow {
  procedureKey: string;
  direction: ImpactDirection;
  maxDepth: number;
  procedures: ImpactedProcedureRow[];
  services: CarriedServiceRow[];
  /** each cycle met, as procedure keys from its first node back to it */
  cycles: string[][];
  truncated: boolean;
}

function checkWalk(direction: string, maxDepth: number): void {
  if (!['downstream', 'upstream', 'both'].includes(direction)) throw ValidationError.of('direction', 'downstream, upstream or both');
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 25) throw ValidationError.of('maxDepth', 'must be between 1 and 25');
}

/**
 * The impact of replacing a procedure (steering team): every procedure reachable from it through
 * interfaces — downstream (procedures that receive its data, directly or further on; the default),
 * upstream (those that deliver to it), or both (each path keeps its first direction) — with the
 * shortest path to each, and every service handled by the procedure or one reached. A recursive
 * query over the interface graph; cycles (A → B → C → A) end the path and are reported.
 */
export function replacementImpact(
  ctx: DomainContext,
  args: { key: string; direction?: ImpactDirection | null; maxDepth?: number | null },
): Promise<ImpactRow> {
  return runAction(ctx, 'landscape.impact', async (c) => {
    authorize(c, 'core.read');
    const direction = args.direction ?? 'downstream';
    const maxDepth = args.maxDepth ?? 10;
    checkWalk(direction, maxDepth);
    const { rows: found } = await c.pool.query<{ id: number }>(`select id from core.procedure where key = $1`, [args.key]);
    const start = found[0];
    if (!start) throw new NotFoundError('Procedure', args.key);
    const { rows } = await c.pool.query<{
      id: number;
      key: string;
      name: string;
      depth: number;
      path: string[];
      via: 'downstream' | 'upstream' | null;
      cycle: boolean;
      truncated: boolean;
    }>(
      `with recursive ${directedEdges}, ${walkSql('p.id = $1')},
       limited as (select * from walk limit ${MAX_WALK_ROWS + 1}),
       info as (select count(*) > ${MAX_WALK_ROWS} as truncated from limited)
       select l.id, p.key, p.name, l.depth, l.via, l.cycle, info.truncated,
              array(select k.key from unnest(l.path) with ordinality u(id, n) join core.procedure k on k.id = u.id order by u.n) as path
       from limited l join core.procedure p on p.id = l.id cross join info
       order by l.cycle, l.depth, p.key`,
      [start.id, direction, maxDepth],
    );
    const seen = new Set<number>([start.id]);
    const procedures: ImpactedProcedureRow[] = [];
    const cycles: string[][] = [];
    const cycleKeys = new Set<string>();
    for (const r of rows) {
      if (r.cycle) {
        // the path returns to r.key: the cycle is the part from its first visit on
        const from = r.path.indexOf(r.key);
        const cycle = r.path.slice(from);
        const id = [...cycle.slice(0, -1)].sort().join('|');
        if (!cycleKeys.has(id)) {
          cycleKeys.add(id);
          cycles.push(cycle);
        }
        continue;
      }
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      procedures.push({ key: r.key, name: r.name, depth: r.depth, path: r.path, via: r.via ?? 'downstream' });
    }
    const depthOf = new Map<string, number>([[args.key, 0], ...procedures.map((p) => [p.key, p.depth] as const)]);
    const { rows: services } = await c.pool.query<CarriedServiceRow>(
      `select s.key as "serviceKey", s.title, p.key as "procedureKey"
       from core.service s join core.procedure p on p.id = s.procedure_id
       where p.key = any($1) order by s.key`,
      [[...depthOf.keys()]],
    );
    return {
      procedureKey: args.key,
      direction,
      maxDepth,
      procedures,
      services: services
        .map((s) => ({ ...s, depth: depthOf.get(s.procedureKey) ?? 0 }))
        .sort((a, b) => a.depth - b.depth || a.serviceKey.localeCompare(b.serviceKey)),
      cycles,
      truncated: rows[0]?.truncated ?? false,
    };
  });
}

export interface DependencyRow {
  rank: number;
  key: string;
  name: string;
  /** services this procedure handles itself */
  services: number;
  /** interfaces to and from it */
  interfaces: number;
  /** procedures downstream of it (receiving its data, directly or further on) */
  dependentProcedures: number;
  /** services handled by it or by a procedure downstream of it */
  dependentServices: number;
}

/**
 * Procedures ranked by what depends on them (steering team): services handled by the procedure or
 * downstream of it, then its interfaces, then downstream procedures; ties by key.
 */
export function rankProcedures(ctx: DomainContext, args: { limit?: number | null; maxDepth?: number | null }): Promise<DependencyRow[]> {
  return runAction(ctx, 'landscape.ranking', async (c) => {
    authorize(c, 'core.read');
    const limit = args.limit ?? 20;
    const maxDepth = args.maxDepth ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw ValidationError.of('limit', 'must be between 1 and 1000');
    checkWalk('downstream', maxDepth);
    const { rows } = await c.pool.query<Omit<DependencyRow, 'rank'>>(
      `with recursive ${directedEdges}, ${walkSql('$1::boolean')},
       reach as (select distinct start_id, id from (select * from walk limit ${MAX_WALK_ROWS}) w where not cycle)
       select p.key, p.name,
              (select count(*) from core.service s where s.procedure_id = p.id)::int as services,
              (select count(*) from core.procedure_interface i where p.id in (i.from_procedure_id, i.to_procedure_id))::int as interfaces,
              (select count(*) from reach r where r.start_id = p.id and r.id <> p.id)::int as "dependentProcedures",
              (select count(*) from core.service s join reach r on r.id = s.procedure_id where r.start_id = p.id)::int as "dependentServices"
       from core.procedure p
       order by "dependentServices" desc, interfaces desc, "dependentProcedures" desc, p.key
       limit $4`,
      [true, 'downstream', maxDepth, limit],
    );
    return rows.map((r, i) => ({ rank: i + 1, ...r }));
  });
}

export interface NeighbourRow {
  key: string;
  name: string;
  /** downstream: receives data from the procedure; upstream: delivers to it */
  relation: 'downstream' | 'upstream';
  interfaceKind: string;
  interfaceDirection: string;
  description: string | null;
}

/** The direct neighbours of a procedure in the interface graph (steering team). */
export function procedureNeighbours(ctx: DomainContext, key: string): Promise<NeighbourRow[]> {
  return runAction(ctx, 'landscape.neighbours', async (c) => {
    authorize(c, 'core.read');
    const { rows: found } = await c.pool.query(`select 1 from core.procedure where key = $1`, [key]);
    if (found.length === 0) throw new NotFoundError('Procedure', key);
    const { rows } = await c.pool.query<NeighbourRow>(
      `select o.key, o.name, n.relation, i.kind as "interfaceKind", i.direction as "interfaceDirection", i.description
       from core.procedure p
       join core.procedure_interface i on p.id in (i.from_procedure_id, i.to_procedure_id)
       cross join lateral (select case when i.from_procedure_id = p.id then 'downstream' else 'upstream' end as relation,
                                  case when i.from_procedure_id = p.id then i.to_procedure_id else i.from_procedure_id end as other) n
       join core.procedure o on o.id = n.other
       where p.key = $1
       order by n.relation, o.key, i.kind`,
      [key],
    );
    return rows;
  });
}

export interface ProcedureSnapshotRow {
  validFrom: Date;
  validTo: Date | null;
  runId: number | null;
  lifecyclePhase: string | null;
  annualCost: number | null;
  users: number | null;
  ozgReady: boolean | null;
  dmsConnection: string | null;
  targetAction: string | null;
  targetDmsConnection: string | null;
  targetDate: string | null;
  endOfLifeDate: string | null;
}

/** The IST/SOLL history of a procedure (steering team): one snapshot per change, oldest first. */
export function procedureHistory(ctx: DomainContext, key: string): Promise<ProcedureSnapshotRow[]> {
  return runAction(ctx, 'landscape.history', async (c) => {
    authorize(c, 'core.read');
    const { rows: found } = await c.pool.query(`select 1 from core.procedure where key = $1`, [key]);
    if (found.length === 0) throw new NotFoundError('Procedure', key);
    const { rows } = await c.pool.query<ProcedureSnapshotRow>(
      `select h.valid_from as "validFrom", lead(h.valid_from) over w as "validTo", h.run_id as "runId",
              h.snapshot #>> '{ist,lifecycle_phase}' as "lifecyclePhase", (h.snapshot #>> '{ist,annual_cost}')::float8 as "annualCost",
              (h.snapshot #>> '{ist,users}')::int as users, (h.snapshot #>> '{ist,ozg_ready}')::boolean as "ozgReady",
              h.snapshot #>> '{ist,dms_connection}' as "dmsConnection", h.snapshot #>> '{soll,target_action}' as "targetAction",
              h.snapshot #>> '{soll,target_dms_connection}' as "targetDmsConnection", h.snapshot #>> '{soll,target_date}' as "targetDate",
              h.snapshot #>> '{soll,end_of_life_date}' as "endOfLifeDate"
       from core.procedure_history h join core.procedure p on p.id = h.procedure_id
       where p.key = $1
       window w as (order by h.valid_from, h.id)
       order by h.valid_from, h.id`,
      [key],
    );
    return rows;
  });
}

/**
 * When a procedure ends: its planned end of use, else the target date of a SOLL that ends it
 * (replace, retire, consolidate). NULL: no end planned.
 */
const endOfLifeSql = `coalesce(p.end_of_life_date, case when p.target_action in ('replace', 'retire', 'consolidate') then p.target_date end)`;

export interface EndingProcedureRow {
  key: string;
  name: string;
  lifecyclePhase: string | null;
  ownerOrgUnits: string[];
  endOfLife: string;
  /** end_of_life_date (planned end of use) or target_date (of the SOLL replace/retire/consolidate) */
  basis: 'end_of_life_date' | 'target_date';
  targetAction: string | null;
  annualCost: number | null;
  /** the end lies on or before the Stichtag and the procedure is not retired */
  overdue: boolean;
  services: { serviceKey: string; title: string }[];
}

export interface EndOfLifeOutlook {
  stichtag: string;
  until: string;
  months: number;
  procedures: EndingProcedureRow[];
  annualCost: number;
  services: number;
}

/**
 * What reaches its end of life within `months` after the Stichtag (steering team), and what is
 * past its end but still in use: cost and the services it carries, by date. Optionally for one
 * owning org unit (including its sub-units).
 */
export function endOfLifeOutlook(
  ctx: DomainContext,
  args: { stichtag?: string | null; months?: number | null; orgUnit?: string | null },
): Promise<EndOfLifeOutlook> {
  return runAction(ctx, 'landscape.end_of_life', async (c) => {
    authorize(c, 'core.read');
    const stichtag = stichtagOf(args.stichtag, 'stichtag');
    const months = args.months ?? 24;
    if (!Number.isInteger(months) || months < 1 || months > 120) throw ValidationError.of('months', 'must be between 1 and 120');
    const { rows: window } = await c.pool.query<{ until: string }>(`select ($1::date + make_interval(months => $2))::date::text as until`, [
      stichtag,
      months,
    ]);
    const until = window[0]!.until;
    const { rows: procedures } = await c.pool.query<EndingProcedureRow>(
      `select p.key, p.name, p.lifecycle_phase as "lifecyclePhase",
              coalesce((select array_agg(o.code order by o.code) from core.procedure_org_unit po join core.org_unit o on o.id = po.org_unit_id
                        where po.procedure_id = p.id and po.role = 'owner'), '{}') as "ownerOrgUnits",
              (${endOfLifeSql})::text as "endOfLife",
              case when p.end_of_life_date is not null then 'end_of_life_date' else 'target_date' end as basis,
              p.target_action as "targetAction", p.annual_cost::float8 as "annualCost",
              ${endOfLifeSql} <= $1::date as overdue,
              coalesce((select json_agg(json_build_object('serviceKey', s.key, 'title', s.title) order by s.key)
                        from core.service s where s.procedure_id = p.id), '[]') as services
       from core.procedure p
       where ${endOfLifeSql} <= $2::date
         and (${endOfLifeSql} > $1::date or p.lifecycle_phase is distinct from 'retired')
         and ($3::text is null or exists (
               select 1 from core.procedure_org_unit po join core.org_unit o on o.id = po.org_unit_id
               left join core.org_unit parent on parent.id = o.parent_id
               where po.procedure_id = p.id and po.role = 'owner' and $3 in (o.code, parent.code)))
       order by ${endOfLifeSql}, p.key`,
      [stichtag, until, args.orgUnit ?? null],
    );
    return {
      stichtag,
      until,
      months,
      procedures,
      annualCost: procedures.reduce((sum, p) => sum + (p.annualCost ?? 0), 0),
      services: procedures.reduce((sum, p) => sum + p.services.length, 0),
    };
  });
}

export type LandscapeGrouping = 'org_unit' | 'lifecycle';

export interface LandscapeGroupRow {
  key: string;
  label: string;
  procedures: number;
  ozgReady: number;
  dmsConnected: number;
  /** internal (steering team): services handled, annual cost, ending within 24 months and their cost */
  services?: number;
  annualCost?: number;
  endingWithin24Months?: number;
  costEndingWithin24Months?: number;
}

const LIFECYCLE_LABELS: Record<string, string> = {
  planning: 'Planung',
  introduction: 'Einführung',
  operation: 'Betrieb',
  phase_out: 'Auslauf',
  retired: 'Abgelöst',
};

/**
 * The procedures by owning org unit or by lifecycle phase: counts for everyone (from the public
 * inventory, open.procedures); services, cost and what ends within 24 months for the steering team.
 * A procedure with two owners counts in both org units; one without owner under "ohne".
 */
export function landscapeSummary(
  ctx: DomainContext,
  args: { by: LandscapeGrouping; stichtag?: string | null },
): Promise<LandscapeGroupRow[]> {
  return runAction(ctx, 'landscape.summary', async (c) => {
    const core = readScope(c) === 'core';
    const stichtag = stichtagOf(args.stichtag, 'stichtag');
    const relation = core
      ? `(select p.*, coalesce((select string_agg(o.code, ' ' order by o.code) from core.procedure_org_unit po
            join core.org_unit o on o.id = po.org_unit_id where po.procedure_id = p.id and po.role = 'owner'), '') as owner_org_units,
            (select count(*) from core.service s where s.procedure_id = p.id) as services,
            ${endOfLifeSql} as end_of_life
          from core.procedure p)`
      : 'open.procedures';
    const groupKey =
      args.by === 'org_unit'
        ? `unnest(case when p.owner_org_units = '' then array['ohne'] else string_to_array(p.owner_org_units, ' ') end)`
        : `coalesce(p.lifecycle_phase, 'unbekannt')`;
    const internal = core
      ? `, sum(p.services)::int as services, coalesce(sum(p.annual_cost), 0)::float8 as "annualCost",
         count(*) filter (where p.end_of_life <= ($1::date + interval '24 months') and (p.end_of_life > $1::date or p.lifecycle_phase is distinct from 'retired'))::int as "endingWithin24Months",
         coalesce(sum(p.annual_cost) filter (where p.end_of_life <= ($1::date + interval '24 months') and (p.end_of_life > $1::date or p.lifecycle_phase is distinct from 'retired')), 0)::float8 as "costEndingWithin24Months"`
      : '';
    const { rows } = await c.pool.query<LandscapeGroupRow>(
      `select g.key, count(*)::int as procedures, count(*) filter (where p.ozg_ready)::int as "ozgReady",
              count(*) filter (where p.dms_connection in ('one_way', 'two_way'))::int as "dmsConnected" ${internal}
       from ${relation} p cross join lateral (select ${groupKey} as key) g
       group by g.key order by g.key`,
      core ? [stichtag] : [],
    );
    if (args.by === 'lifecycle') return rows.map((r) => ({ ...r, label: LIFECYCLE_LABELS[r.key] ?? r.key }));
    const { rows: names } = await c.pool.query<{ code: string; name: string }>(
      `select code, name from open.org_units where code = any($1)`,
      [rows.map((r) => r.key)],
    );
    const nameOf = new Map(names.map((n) => [n.code, n.name]));
    return rows.map((r) => ({ ...r, label: nameOf.get(r.key) ?? (r.key === 'ohne' ? 'ohne zuständiges Amt' : r.key) }));
  });
}
