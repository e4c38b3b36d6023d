// Domain actions: the one layer that decides access and shapes data for every transport
// (GraphQL, the CKAN API, downloads, DCAT, pages).
export * from './access/index.js';
export type { DomainContext } from './domain/context.js';
export { paginate, encodeCursor, decodeCursor, type Page, type PageArgs } from './domain/paginate.js';
export { listDatasets, datasetNames, type DatasetRow } from './catalog/catalog.service.js';
export { syncCatalog } from './catalog/catalog.sync.js';
export { registerDataset, updateDataset, type DatasetInput, type DatasetPatch } from './catalog/catalog.write.js';
export * from './catalog/catalog.record.js';
export * from './catalog/catalog.read.js';
export * from './catalog/catalog.search.js';
export { touchChangedDatasets } from './catalog/catalog.modified.js';
export {
  dcatCatalogPage,
  dcatDataset,
  parseModifiedSince,
  DCAT_PAGE_SIZE,
  type DcatAgent,
  type DcatCatalogMeta,
  type DcatCatalogPage,
  type DcatDatasetRow,
  type DcatResourceRow,
} from './catalog/dcat.service.js';
export * as dcatVocabulary from './catalog/dcat.vocabulary.js';
export { readDeclarations, datasetsDir, type DatasetDeclaration } from './catalog/catalog.declaration.js';
export { listInitiatives, showInitiative, listPillars, listNavigatorFields } from './strategy/strategy.service.js';
export { listProjects, showProject } from './projects/project.service.js';
export { listOrgUnits, showOrgUnit } from './org/org-unit.service.js';
export { kpiCatalog, ONLINE_LEVEL_MODEL_11, type KpiDefinition } from './kpis/kpi.catalog.js';
export { snapshotKpis } from './kpis/kpi.snapshot.js';
export { syncKpiDefinitions } from './kpis/kpi.definitions.js';
export { listEtlRuns, showEtlRun, listQuarantine, triggerEtlRun, type EtlRunRow, type QuarantinedRow } from './runs/etl.service.js';
export { listServices, showService, type ServiceRow } from './services/service.service.js';
export { FilterCompiler, type FilterSpec, type EntityFilter, type ScalarFilter } from './domain/filter.js';
export type { SortSpec } from './domain/paginate.js';
export * from './datastore/index.js';
// read by the portal's pages (KPI page, steering board)
export { kpiValues, kpiSeries, listKpis, SUPPRESSION_THRESHOLD, type KpiValueRow, type KpiPoint } from './kpis/kpi.service.js';
export { milestonesOf, type ProjectRow, type MilestoneRow } from './projects/project.service.js';
export { listProcedures, interfacesOf, type ProcedureRow, type ProcedureInterfaceRow } from './procedures/procedure.service.js';
export type { InitiativeRow, NavigatorFieldRow } from './strategy/strategy.service.js';
export { labelsOfDatasets, type DatasetLabelsRow } from './catalog/catalog.labels.js';
export { aggregate, type AggregateGroupRow } from './aggregates/aggregate.service.js';
// the strategy's driver projects (issue 9): OZG-Monitoring, IT-Bebauung, program report
export * from './monitoring/index.js';
export * from './landscape/index.js';
export * from './program/index.js';
