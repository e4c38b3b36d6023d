import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs, type SortSpec } from '../domain/paginate.js';
import { FilterCompiler, type EntityFilter } from '../domain/filter.js';
import { initiativeFilterSpec } from './strategy.filter.js';
import { NotFoundError } from '../errors/index.js';

export interface PillarRow {
  __typename: 'Pillar';
  key: string;
  name: string;
  description: string | null;
  position: number;
}

export interface NavigatorFieldRow {
  __typename: 'NavigatorField';
  key: string;
  name: string;
  appendixSection: string | null;
  pillarKey: string | null;
  position: number;
}

export interface InitiativeRow {
  __typename: 'Initiative';
  key: string;
  title: string;
  fieldKey: string;
  responsibleOrgUnit: string | null;
  responsibleRaw: string;
  involvedOrgUnits: string;
  priority: number | null;
  size: string | null;
  sizeAlternative: string | null;
  status: string | null;
  statusRaw: string;
  focusPoints: string;
  benefits: string;
  lastRunId: number | null;
  sourcePosition: string | null;
}

// Strategy reference data is public: every read goes through the open views.
const pillarSelect = `'Pillar' as "__typename", key, name, description, position`;
const fieldSelect = `'NavigatorField' as "__typename", key, name, appendix_section as "appendixSection", pillar_key as "pillarKey", position`;
const initiativeSelect = `'Initiative' as "__typename", key, title, field_key as "fieldKey", responsible_org_unit as "responsibleOrgUnit",
  responsible_raw as "responsibleRaw", involved_org_units as "involvedOrgUnits", priority, size, size_alternative as "sizeAlternative",
  status, status_raw as "statusRaw", focus_points as "focusPoints", benefits, last_run_id as "lastRunId", source_position as "sourcePosition"`;

/** The strategy's four pillars, in the document's order. */
export function listPillars(ctx: DomainContext): Promise<PillarRow[]> {
  return runAction(ctx, 'pillar.list', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<PillarRow>(`select ${pillarSelect} from open.pillars order by position`);
    return rows;
  });
}

/** The navigator's six fields, in the appendix's order. */
export function listNavigatorFields(ctx: DomainContext): Promise<NavigatorFieldRow[]> {
  return runAction(ctx, 'navigator_field.list', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<NavigatorFieldRow>(`select ${fieldSelect} from open.navigator_fields order by position`);
    return rows;
  });
}

export function pillarsByKeys(ctx: DomainContext, keys: readonly string[]): Promise<PillarRow[]> {
  return runAction(ctx, 'pillar.by_keys', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<PillarRow>(`select ${pillarSelect} from open.pillars where key = any($1)`, [keys]);
    return rows;
  });
}

export function fieldsByKeys(ctx: DomainContext, keys: readonly string[]): Promise<NavigatorFieldRow[]> {
  return runAction(ctx, 'navigator_field.by_keys', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<NavigatorFieldRow>(`select ${fieldSelect} from open.navigator_fields where key = any($1)`, [keys]);
    return rows;
  });
}

export interface InitiativeFilter {
  fieldKey?: string | null;
  status?: string | null;
  orgUnit?: string | null;
}

/** The strategy's Vorhaben, paged (by key unless sorted otherwise), with simple and operator filters. */
export function listInitiatives(
  ctx: DomainContext,
  filter: InitiativeFilter,
  page: PageArgs,
  options: { where?: EntityFilter | null; sort?: SortSpec } = {},
): Promise<Page<InitiativeRow & Record<string, unknown>>> {
  return runAction(ctx, 'initiative.list', async (c) => {
    authorize(c, 'open.read');
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.fieldKey) {
      params.push(filter.fieldKey);
      where.push(`field_key = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.orgUnit) {
      params.push(filter.orgUnit);
      where.push(`(responsible_org_unit = $${params.length} or $${params.length} = any(string_to_array(involved_org_units, ' ')))`);
    }
    if (options.where) where.push(new FilterCompiler(params, c).compile(options.where, initiativeFilterSpec, 'i'));
    return paginate<InitiativeRow & Record<string, unknown>>(
      c.pool,
      { relation: 'open.initiatives as i', orderBy: 'key', select: initiativeSelect, where, params, sort: options.sort },
      page,
    );
  });
}

export function showInitiative(ctx: DomainContext, key: string): Promise<InitiativeRow> {
  return runAction(ctx, 'initiative.show', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<InitiativeRow>(`select ${initiativeSelect} from open.initiatives where key = $1`, [key]);
    const row = rows[0];
    if (!row) throw new NotFoundError('Initiative', key);
    return row;
  });
}

export function initiativesByKeys(ctx: DomainContext, keys: readonly string[]): Promise<InitiativeRow[]> {
  return runAction(ctx, 'initiative.by_keys', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<InitiativeRow>(`select ${initiativeSelect} from open.initiatives where key = any($1)`, [keys]);
    return rows;
  });
}
