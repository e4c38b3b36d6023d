import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { NotFoundError } from '../errors/index.js';
import { FilterCompiler, type EntityFilter } from '../domain/filter.js';
import { sortFor } from '../domain/order.js';
import { orgUnitFilterSpec, orgUnitOrders, type OrgUnitOrderBy } from './org-unit.filter.js';

export interface OrgUnitRow {
  __typename: 'OrgUnit';
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
}

// The organisation chart is public information: read through open.org_units.
const select = `'OrgUnit' as "__typename", code, name, kind, parent_code as "parentCode"`;

/** Org units by code (or another order), with simple and operator filters. */
export function listOrgUnits(
  ctx: DomainContext,
  filter: { rootsOnly?: boolean | null; parentCode?: string | null },
  page: PageArgs,
  options: { where?: EntityFilter | null; orderBy?: OrgUnitOrderBy | null } = {},
): Promise<Page<OrgUnitRow & Record<string, unknown>>> {
  return runAction(ctx, 'org_unit.list', async (c) => {
    authorize(c, 'open.read');
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.rootsOnly) where.push('parent_code is null');
    if (filter.parentCode) {
      params.push(filter.parentCode);
      where.push(`parent_code = $${params.length}`);
    }
    if (options.where) where.push(new FilterCompiler(params, c).compile(options.where, orgUnitFilterSpec, 'ou'));
    return paginate<OrgUnitRow & Record<string, unknown>>(
      c.pool,
      { relation: 'open.org_units as ou', orderBy: 'code', select, where, params, sort: sortFor(c, orgUnitOrders, options.orderBy) },
      page,
    );
  });
}

export function showOrgUnit(ctx: DomainContext, code: string): Promise<OrgUnitRow> {
  return runAction(ctx, 'org_unit.show', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<OrgUnitRow>(`select ${select} from open.org_units where code = $1`, [code]);
    const row = rows[0];
    if (!row) throw new NotFoundError('OrgUnit', code);
    return row;
  });
}

export function orgUnitsByCodes(ctx: DomainContext, codes: readonly string[]): Promise<OrgUnitRow[]> {
  return runAction(ctx, 'org_unit.by_codes', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<OrgUnitRow>(`select ${select} from open.org_units where code = any($1)`, [codes]);
    return rows;
  });
}

export function orgUnitChildren(ctx: DomainContext, parentCodes: readonly string[]): Promise<OrgUnitRow[]> {
  return runAction(ctx, 'org_unit.children', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<OrgUnitRow>(`select ${select} from open.org_units where parent_code = any($1) order by code`, [
      parentCodes,
    ]);
    return rows;
  });
}
