import DataLoader from 'dataloader';
import type { DomainContext } from '../domain/context.js';
import { runsByIds, type RunRow } from './lineage.js';
import { milestonesOf, statusHistoryOf, type MilestoneRow, type StatusChangeRow } from '../projects/project.service.js';
import { interfacesOf, proceduresByKeys, type ProcedureInterfaceRow, type ProcedureRow } from '../procedures/procedure.service.js';
import { orgUnitChildren, orgUnitsByCodes, type OrgUnitRow } from '../org/org-unit.service.js';
import { labelsOfDatasets, type DatasetLabelsRow } from '../catalog/catalog.labels.js';
import {
  internalsOfServices,
  maturityByServiceKeys,
  metricsByServiceKeys,
  servicesByKeys,
  type ServiceInternalsRow,
  type ServiceMetricRow,
  type ServiceMaturityRow,
  type ServiceRow,
} from '../services/service.service.js';
import {
  fieldsByKeys,
  initiativesByKeys,
  pillarsByKeys,
  type InitiativeRow,
  type NavigatorFieldRow,
  type PillarRow,
} from '../strategy/strategy.service.js';

/** Batches lookups by key within one request, so a list never costs one query per row (N+1). */
function byKey<K extends string, R>(load: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => {
    const rows = await load(keys);
    const map = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => map.get(k) ?? null);
  });
}

function groupedBy<K extends string, R>(load: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const rows = await load(keys);
    const map = new Map<K, R[]>();
    for (const r of rows) map.set(keyOf(r), [...(map.get(keyOf(r)) ?? []), r]);
    return keys.map((k) => map.get(k) ?? []);
  });
}

export function createLoaders(ctx: DomainContext) {
  return {
    pillar: byKey(
      (keys) => pillarsByKeys(ctx, keys),
      (r: PillarRow) => r.key,
    ),
    field: byKey(
      (keys) => fieldsByKeys(ctx, keys),
      (r: NavigatorFieldRow) => r.key,
    ),
    initiative: byKey(
      (keys) => initiativesByKeys(ctx, keys),
      (r: InitiativeRow) => r.key,
    ),
    orgUnit: byKey(
      (keys) => orgUnitsByCodes(ctx, keys),
      (r: OrgUnitRow) => r.code,
    ),
    orgUnitChildren: groupedBy(
      (keys) => orgUnitChildren(ctx, keys),
      (r: OrgUnitRow) => r.parentCode ?? '',
    ),
    procedureInterfaces: new DataLoader<string, ProcedureInterfaceRow[]>(async (keys) => {
      const rows = await interfacesOf(ctx, keys);
      return keys.map((k) => rows.filter((r) => r.fromKey === k || r.toKey === k));
    }),
    milestones: groupedBy(
      (keys) => milestonesOf(ctx, keys),
      (r: MilestoneRow) => r.projectKey,
    ),
    statusHistory: groupedBy(
      (keys) => statusHistoryOf(ctx, keys),
      (r: StatusChangeRow) => r.projectKey,
    ),
    serviceMetrics: groupedBy(
      (keys) => metricsByServiceKeys(ctx, keys),
      (r: ServiceMetricRow) => r.serviceKey,
    ),
    run: new DataLoader<number, RunRow | null>(async (ids) => {
      const rows = await runsByIds(ctx, ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    service: byKey(
      (keys) => servicesByKeys(ctx, keys),
      (r: ServiceRow) => r.key,
    ),
    serviceMaturity: groupedBy(
      (keys) => maturityByServiceKeys(ctx, keys),
      (r: ServiceMaturityRow) => r.serviceKey,
    ),
    serviceInternals: byKey(
      (keys) => internalsOfServices(ctx, keys),
      (r: ServiceInternalsRow) => r.key,
    ),
    procedure: byKey(
      (keys) => proceduresByKeys(ctx, keys),
      (r: ProcedureRow) => r.key,
    ),
    datasetLabels: byKey(
      (names) => labelsOfDatasets(ctx, names),
      (r: DatasetLabelsRow) => r.name,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Per-request GraphQL context: domain context plus this request's loaders and id. */
export interface GraphQLContext extends DomainContext {
  loaders: Loaders;
  requestId: string;
  /**
   * The answer is only written out as text (the HTTP endpoint, through stringifyResponse), never
   * read as objects: resolvers may hand over JSON objects as PostgreSQL's text (db/raw-json.ts).
   */
  rawJson?: boolean;
}
