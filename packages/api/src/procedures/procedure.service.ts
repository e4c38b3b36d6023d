import { authorize, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { NotFoundError } from '../errors/index.js';
import { FilterCompiler, type EntityFilter } from '../domain/filter.js';
import { sortFor } from '../domain/order.js';
import { procedureFilterSpec, procedureOrders, type ProcedureOrderBy } from './procedure.filter.js';

/** A procedure as everyone may see it; internal fields are undefined unless the viewer may read core. */
export interface ProcedureRow {
  __typename: 'Procedure';
  key: string;
  name: string;
  vendor: string | null;
  lifecyclePhase: string | null;
  ozgReady: boolean | null;
  dmsConnection: string | null;
  ownerOrgUnits: string;
  annualCost?: number | null;
  users?: number | null;
  targetAction?: string | null;
  targetDmsConnection?: string | null;
  targetDate?: string | null;
  endOfLifeDate?: string | null;
}

export interface ProcedureInterfaceRow {
  fromKey: string;
  toKey: string;
  kind: string;
  direction: string;
  description: string | null;
}

const openSelect = `'Procedure' as "__typename", key, name, vendor, lifecycle_phase as "lifecyclePhase", ozg_ready as "ozgReady",
  dms_connection as "dmsConnection", owner_org_units as "ownerOrgUnits"`;
const coreRelation = `(select p.*, coalesce((select string_agg(o.code, ' ' order by o.code) from core.procedure_org_unit po
    join core.org_unit o on o.id = po.org_unit_id where po.procedure_id = p.id and po.role = 'owner'), '') as owner_org_units
  from core.procedure p) as procedure`;
const coreSelect = `${openSelect}, annual_cost as "annualCost", users, target_action as "targetAction",
  target_dms_connection as "targetDmsConnection", target_date::text as "targetDate", end_of_life_date::text as "endOfLifeDate"`;

/** Specialist procedures: the public inventory for everyone, with cost, users and SOLL for the steering team. */
export function listProcedures(
  ctx: DomainContext,
  filter: { lifecyclePhase?: string | null; dmsConnection?: string | null; orgUnit?: string | null },
  page: PageArgs,
  options: { where?: EntityFilter | null; orderBy?: ProcedureOrderBy | null } = {},
): Promise<Page<ProcedureRow & Record<string, unknown>>> {
  return runAction(ctx, 'procedure.list', async (c) => {
    const core = readScope(c) === 'core';
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.lifecyclePhase) {
      params.push(filter.lifecyclePhase);
      where.push(`lifecycle_phase = $${params.length}`);
    }
    if (filter.dmsConnection) {
      params.push(filter.dmsConnection);
      where.push(`dms_connection = $${params.length}`);
    }
    if (filter.orgUnit) {
      params.push(filter.orgUnit);
      where.push(`$${params.length} = any(string_to_array(owner_org_units, ' '))`);
    }
    if (options.where) where.push(new FilterCompiler(params, c).compile(options.where, procedureFilterSpec, 'procedure'));
    const sort = sortFor(c, procedureOrders, options.orderBy);
    return paginate<ProcedureRow & Record<string, unknown>>(
      c.pool,
      {
        relation: core ? coreRelation : 'open.procedures as procedure',
        orderBy: 'key',
        select: core ? coreSelect : openSelect,
        where,
        params,
        sort,
      },
      page,
    );
  });
}

export function showProcedure(ctx: DomainContext, key: string): Promise<ProcedureRow> {
  return runAction(ctx, 'procedure.show', async (c) => {
    const core = readScope(c) === 'core';
    const { rows } = await c.pool.query<ProcedureRow>(
      `select ${core ? coreSelect : openSelect} from ${core ? coreRelation : 'open.procedures'} where key = $1`,
      [key],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('Procedure', key);
    return row;
  });
}

/** Procedures by key, as the viewer may see them (for loaders). */
export function proceduresByKeys(ctx: DomainContext, keys: readonly string[]): Promise<ProcedureRow[]> {
  return runAction(ctx, 'procedure.by_keys', async (c) => {
    const core = readScope(c) === 'core';
    const { rows } = await c.pool.query<ProcedureRow>(
      `select ${core ? coreSelect : openSelect} from ${core ? coreRelation : 'open.procedures'} where key = any($1)`,
      [keys],
    );
    return rows;
  });
}

/** The interface graph around procedures (internal: steering team). */
export function interfacesOf(ctx: DomainContext, keys: readonly string[]): Promise<ProcedureInterfaceRow[]> {
  return runAction(ctx, 'procedure.interfaces', async (c) => {
    authorize(c, 'core.read');
    const { rows } = await c.pool.query<ProcedureInterfaceRow>(
      `select f.key as "fromKey", t.key as "toKey", i.kind, i.direction, i.description
       from core.procedure_interface i join core.procedure f on f.id = i.from_procedure_id join core.procedure t on t.id = i.to_procedure_id
       where f.key = any($1) or t.key = any($1) order by f.key, t.key`,
      [keys],
    );
    return rows;
  });
}

/** The internal fields of a procedure are refused field by field to viewers who may not read core. */
export function internalField<T>(ctx: DomainContext, value: T): T {
  authorize(ctx, 'core.read');
  return value;
}
