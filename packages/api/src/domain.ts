// Domain actions: the one layer that decides access and shapes data for every transport
// (GraphQL, the CKAN API, downloads, DCAT, pages).
export * from './access/index.js';
export type { DomainContext } from './domain/context.js';
export { paginate, encodeCursor, decodeCursor, type Page, type PageArgs } from './domain/paginate.js';
export { listDatasets, datasetNames, type DatasetRow } from './catalog/catalog.service.js';
export { syncCatalog } from './catalog/catalog.sync.js';
export { readDeclarations, datasetsDir, type DatasetDeclaration } from './catalog/catalog.declaration.js';
export { listInitiatives, showInitiative, listPillars, listNavigatorFields } from './strategy/strategy.service.js';
export { listProjects, showProject } from './projects/project.service.js';
export { listOrgUnits, showOrgUnit } from './org/org-unit.service.js';
export { kpiCatalog, ONLINE_LEVEL_MODEL_11, type KpiDefinition } from './kpis/kpi.catalog.js';
export { snapshotKpis } from './kpis/kpi.snapshot.js';
export { listEtlRuns, showEtlRun, listQuarantine, triggerEtlRun, type EtlRunRow, type QuarantinedRow } from './runs/etl.service.js';
export { listServices, showService, type ServiceRow } from './services/service.service.js';
export { FilterCompiler, type FilterSpec, type EntityFilter, type ScalarFilter } from './domain/filter.js';
export type { SortSpec } from './domain/paginate.js';
