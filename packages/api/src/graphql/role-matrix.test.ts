// The role matrix, generated from the executable schema: every Query and Mutation field, and every
// field of every object type reachable from them, is selected in generated operations and run as
// anonymous, developer, steering and admin against a database with canary values planted in the
// internal tables and columns (core.* beyond the open views, ETL runs, quarantine, API keys).
//
// The table `rules` names, for every schema field, the least role that may read it. A field the
// schema has and the table lacks — a new field without a rule — fails the test, and so does a rule
// for a field that no longer exists. Checks, per role:
// - anonymous users and developers see no canary anywhere (data or error messages);
// - below a field's least role, the field is null everywhere it is reached (with UNAUTHENTICATED /
//   FORBIDDEN, or NOT_FOUND / a plain null where the rule says so); at or above it, never refused;
// - the steering team sees the canaries the policy lets it read (and not the admins' ones), at the
//   fields the rules name; admins see all of them; canaries no GraphQL path may show stay unseen;
// - admins reach every field (the fixture covers the whole schema), bar the rules marked unreached.
import { isInterfaceType, isNonNullType, isObjectType, getNamedType, type GraphQLInterfaceType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { syncCatalog } from '../catalog/catalog.sync.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { executeAs } from '../testing/graphql.js';
import { codeOf } from '../testing/connections.js';
import { toGlobalId } from './relay.js';
import { getSchema } from './schema.js';
import { addMonths, currentMonth } from '../monitoring/calendar.js';

const roles: Role[] = ['anonymous', 'developer', 'steering', 'admin'];
const rank: Record<Role, number> = { anonymous: 0, developer: 1, steering: 2, admin: 3 };

// ───────────────────────────── canaries ─────────────────────────────

/** Values planted in internal data, and the least role any GraphQL path may show them to ('nobody': none). */
const canaries = {
  procedureCost: { text: '987654.32', from: 'steering' },
  procedureUsers: { text: '424242', from: 'steering' },
  procedureTargetDate: { text: '2091-07-13', from: 'steering' },
  procedureEndOfLife: { text: '2092-08-14', from: 'steering' },
  interface: { text: 'CANARY-INTERFACE', from: 'steering' },
  internalProject: { text: 'CANARY-INTERNAL-PROJECT', from: 'steering' },
  projectStart: { text: '2090-01-02', from: 'steering' },
  projectDue: { text: '2093-09-15', from: 'steering' },
  milestone: { text: 'CANARY-MILESTONE', from: 'steering' },
  statusHistory: { text: 'CANARY-STATUS-HISTORY', from: 'steering' },
  internalKpi: { text: '13579.24', from: 'steering' },
  privateDataset: { text: 'CANARY-PRIVATE-DATASET', from: 'steering' },
  apiKey: { text: 'CANARY-APIKEY', from: 'admin' },
  apiKeyRequest: { text: 'CANARY-KEY-REQUEST', from: 'admin' },
  etlError: { text: 'CANARY-ETL-ERROR', from: 'admin' },
  etlCursor: { text: 'CANARY-ETL-CURSOR', from: 'admin' },
  etlDrift: { text: 'CANARY-ETL-DRIFT', from: 'admin' },
  quarantineReason: { text: 'CANARY-QUARANTINE-REASON', from: 'admin' },
  quarantineRaw: { text: 'CANARY-QUARANTINE-RAW', from: 'admin' },
  unpublishedGeo: { text: 'CANARY-UNPUBLISHED-GEO', from: 'nobody' },
  auditLog: { text: 'CANARY-AUDIT-LOG', from: 'nobody' },
  workPackage: { text: 'CANARY-WORK-PACKAGE', from: 'nobody' },
} as const satisfies Record<string, { text: string; from: Role | 'nobody' }>;
type Canary = keyof typeof canaries;

const fixture = `
  insert into etl.run (id, source, status, finished_at, rows_read, rows_loaded) overriding system value
    values (900, 'strategy-catalog', 'succeeded', now(), 10, 10);
  insert into etl.run (id, source, status, finished_at, cursor_to, schema_drift, error_code, error_message) overriding system value
    values (901, 'openproject', 'failed', now(), '${canaries.etlCursor.text}', '{"added": ["${canaries.etlDrift.text}"]}', 'ETL_FAILED', '${canaries.etlError.text}');
  insert into etl.quarantine (run_id, source, position, raw, reason_code, reason) values
    (901, 'openproject', 'export.csv:7', '{"cell": "${canaries.quarantineRaw.text}"}', 'ROW_BAD_DATE', '${canaries.quarantineReason.text}');
  insert into core.pillar (key, name, description, position) values ('service', 'Service-Management', 'Dienste', 1);
  insert into core.navigator_field (key, name, appendix_section, pillar_id, position)
    values ('ozg', 'OZG', '6.1', (select id from core.pillar where key = 'service'), 1);
  insert into core.org_unit (code, name, kind) values ('06', 'Amt für Digitalisierung', 'amt');
  insert into core.org_unit (code, name, kind, parent_id) values ('06.3', 'Bereich 06.3', 'unit', (select id from core.org_unit where code = '06'));
  insert into core.initiative (key, title, field_id, responsible_org_unit_id, responsible_raw, priority, size, size_alternative, status, status_raw,
      focus_points, benefits, source_position, last_run_id)
    values ('V01', 'Online-Dienste', (select id from core.navigator_field where key = 'ozg'), (select id from core.org_unit where code = '06'),
      'Amt 06', 1, 'A', 'B', 'in_progress', 'läuft', '{Punkt}', '{Nutzen}', 'initiatives.yaml:3', 900);
  insert into core.initiative_org_unit (initiative_id, org_unit_id, role)
    values ((select id from core.initiative where key = 'V01'), (select id from core.org_unit where code = '06.3'), 'involved');
  insert into core.project (key, title, goals, results, source, status, status_raw, initiative_id, org_unit_id, source_position, last_run_id)
    values ('P001/19', 'Bürgerportal', '{Ziel}', '{Ergebnis}', 'council-paper', 'in_progress', 'In Umsetzung',
      (select id from core.initiative where key = 'V01'), (select id from core.org_unit where code = '06'), 'projects.csv:2', 900);
  insert into core.project (key, title, source, external_id, status, status_raw, start_date, due_date)
    values ('OP-CANARY', '${canaries.internalProject.text}', 'openproject', 'c1', 'on_hold', 'Pausiert', '${canaries.projectStart.text}', '${canaries.projectDue.text}');
  insert into core.milestone (project_id, key, title, due_date, done_date, is_closed)
    values ((select id from core.project where key = 'P001/19'), 'm1', '${canaries.milestone.text}', current_date - 3, current_date - 5, false);
  insert into core.project_status_history (project_id, status, status_raw, valid_from, valid_to) values
    ((select id from core.project where key = 'P001/19'), 'planned', '${canaries.statusHistory.text}', now() - interval '60 days', now() - interval '30 days'),
    ((select id from core.project where key = 'P001/19'), 'in_progress', 'In Umsetzung', now() - interval '30 days', null);
  insert into core.work_package (source, external_id, project_id, subject)
    values ('openproject', 'wp1', (select id from core.project where key = 'OP-CANARY'), '${canaries.workPackage.text}');
  insert into core.procedure (key, name, vendor, lifecycle_phase, ozg_ready, dms_connection, annual_cost, users, target_action,
      target_dms_connection, target_date, end_of_life_date)
    values ('FV-CANARY', 'Gewerbeverfahren', 'HSH', 'operation', true, 'one_way', ${canaries.procedureCost.text}, ${canaries.procedureUsers.text},
      'replace', 'two_way', '${canaries.procedureTargetDate.text}', '${canaries.procedureEndOfLife.text}');
  insert into core.procedure (key, name, lifecycle_phase) values ('FV-2', 'Sozialverfahren', 'operation');
  insert into core.procedure_org_unit (procedure_id, org_unit_id)
    values ((select id from core.procedure where key = 'FV-CANARY'), (select id from core.org_unit where code = '06'));
  insert into core.procedure_interface (from_procedure_id, to_procedure_id, description)
    values ((select id from core.procedure where key = 'FV-CANARY'), (select id from core.procedure where key = 'FV-2'), '${canaries.interface.text}');
  insert into core.ozg_topic (key, name, kind) values ('themenfeld:2', 'Bauen & Wohnen', 'themenfeld');
  insert into core.ozg_topic (key, name, kind, parent_id)
    values ('lebenslage:14', 'Bauen & Immobilien', 'lebenslage', (select id from core.ozg_topic where key = 'themenfeld:2'));
  insert into core.service (key, kind, ozg_id, title, description, topic_id, responsible_org_unit_id, procedure_id, efa,
      implementation_status, implementation_status_raw, legal_basis, legal_basis_urls, leika_type)
    values ('ozg:10513', 'ozg', '10513', 'Abbruchgenehmigung', 'Abbruch', (select id from core.ozg_topic where key = 'lebenslage:14'),
      (select id from core.org_unit where code = '06.3'), (select id from core.procedure where key = 'FV-2'), true, 'online', 'umgesetzt',
      '§ 61 LBauO', '{http://a.example/x}', '1');
  insert into core.service (key, kind, leika_key, ozg_id, parent_id, title)
    values ('leika:99012001000000', 'leika', '99012001000000', '10513', (select id from core.service where key = 'ozg:10513'), 'Abbruch anzeigen');
  insert into core.service_maturity (service_id, model, kind, level, valid_from)
    values ((select id from core.service where key = 'ozg:10513'), '1.1', 'ist', 3, '2025-01-01');
  insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from)
    values ((select id from core.service where key = 'ozg:10513'), '1.1', 'soll', 4, '2026-12-31', '2025-01-01');
  insert into core.service_metric (service_id, month, applications_online, applications_offline, appointments, median_processing_days, org_unit_id)
    values ((select id from core.service where key = 'ozg:10513'), '2025-01-01', 120, 80, 40, 6.5, (select id from core.org_unit where code = '06'));
  insert into core.geo_layer (key, title, source_crs, published) values ('stadtbereiche', 'Stadtbereiche', 'EPSG:25833', true), ('canary-layer', 'Intern', null, false);
  insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties) values
    ((select id from core.geo_layer where key = 'stadtbereiche'), 'A', '{"type":"Point","coordinates":[12.1,54.1]}', box(point(12.1,54.1), point(12.1,54.1)), '{"bezeichnung":"Stadtmitte"}'),
    ((select id from core.geo_layer where key = 'canary-layer'), 'X', '{"type":"Point","coordinates":[12.1,54.1]}', box(point(12.1,54.1), point(12.1,54.1)), '{"note":"${canaries.unpublishedGeo.text}"}');
  insert into core.kpi_snapshot (kpi_id, run_id, dimensions, value, numerator, denominator) values
    ('services.online', 900, '{}', 7, 7, null),
    ('procedures.cost', 900, '{}', ${canaries.internalKpi.text}, ${canaries.internalKpi.text}, null);
  insert into catalog.dataset (name, title, license_id, organization_id, private, source_view)
    values ('canary-private-dataset', '${canaries.privateDataset.text}', 'dl-by-de/2.0',
      (select id from catalog.organization where name = 'hro-digitalisierung'), true, 'open.procedures');
  insert into core.api_key (id, prefix, hash, name, role, contact) overriding system value
    values (777, 'canaryprefix', 'not-a-hash', '${canaries.apiKey.text}', 'developer', 'canary@example.invalid');
  insert into core.api_key (id, prefix, hash, name, role) overriding system value values (778, 'rotateprefix', 'not-a-hash', 'Rotation', 'developer');
  insert into core.api_key_usage (key_id, day, requests) values (777, current_date, 5);
  -- self-service key requests (issue 10): one to approve, one to reject
  insert into core.api_key_request (id, name, email, purpose, terms_accepted_at, token_hash) values
    ('00000000-0000-4000-8000-000000000001', 'Matrix GmbH', 'matrix@example.invalid', 'Zweck: ${canaries.apiKeyRequest.text}', now(), 'x'),
    ('00000000-0000-4000-8000-000000000002', 'Matrix e.V.', 'ev@example.invalid', 'Eine App für Rostock', now(), 'y');
  insert into core.audit_log (actor, action, target, details) values ('admin', 'apikey.create', 'key:777', '{"note": "${canaries.auditLog.text}"}');
  -- the driver projects (issue 9): an IST/SOLL snapshot, an end of life within 24 months, an overdue milestone
  insert into core.procedure_history (procedure_id, snapshot, valid_from)
    values ((select id from core.procedure where key = 'FV-CANARY'), '{"ist": {"lifecycle_phase": "operation"}, "soll": {"target_action": "replace"}}', now() - interval '1 day');
  update core.procedure set end_of_life_date = current_date + 30 where key = 'FV-2';
  insert into core.milestone (project_id, key, title, due_date) values ((select id from core.project where key = 'P001/19'), 'm2', 'Abnahme', current_date - 10);`;

// ───────────────────────────── the rules ─────────────────────────────

interface Rule {
  /** the least role that reads the field */
  min: Role;
  /** how a lower role is kept out: an UNAUTHENTICATED/FORBIDDEN error (default), NOT_FOUND, or a plain null */
  refusal?: 'error' | 'notFound' | 'null';
  /** a canary this field shows to the roles the canary is meant for */
  canary?: Canary;
  /** why even admins never reach the field in this fixture */
  unreached?: string;
}
type RuleSpec = Role | Rule;

const A = 'anonymous';
const S: Rule = { min: 'steering' };
const ADMIN = 'admin';
const connection = (min: Role): Record<string, RuleSpec> => ({ edges: min, nodes: min, pageInfo: min, totalCount: min });
const edge = (min: Role): Record<string, RuleSpec> => ({ cursor: min, node: min });

/** Every field of the schema and the least role that may read it. */
const rules: Record<string, Record<string, RuleSpec>> = {
  Query: {
    landscape: A,
    ozgForecast: A,
    ozgGaps: A,
    ozgMonitoring: A,
    ozgProgress: A,
    ozgReport: S,
    ozgServices: A,
    ozgTargetHistory: A,
    procedureEndOfLife: S,
    procedureHistory: S,
    procedureImpact: S,
    procedureNeighbours: S,
    procedureRanking: S,
    programMonth: A,
    programOverview: A,
    aggregate: A,
    apiKeyRequests: ADMIN,
    apiKeys: ADMIN,
    datasets: A,
    etlRun: ADMIN,
    etlRuns: ADMIN,
    geoFeatures: A,
    geoLayers: A,
    initiative: A,
    initiatives: A,
    kpi: A,
    kpiSeries: A,
    kpis: A,
    navigatorFields: A,
    node: A,
    orgUnit: A,
    orgUnits: A,
    pillars: A,
    procedure: A,
    procedures: A,
    project: A,
    projects: A,
    quarantine: ADMIN,
    service: A,
    services: A,
  },
  Mutation: {
    removeServiceTarget: S,
    setServiceTarget: S,
    createApiKey: ADMIN,
    registerDataset: ADMIN,
    updateDataset: ADMIN,
    revokeApiKey: ADMIN,
    approveApiKeyRequest: ADMIN,
    rejectApiKeyRequest: ADMIN,
    rotateApiKey: ADMIN,
    triggerEtlRun: { min: ADMIN, unreached: 'needs an ETL worker (graphile_worker), which the test database has not: UNAVAILABLE' },
  },
  AggregateGroup: { key: A, values: { min: A, canary: 'procedureCost' } },
  ApiKey: {
    createdAt: ADMIN,
    id: ADMIN,
    name: { min: ADMIN, canary: 'apiKey' },
    prefix: ADMIN,
    revokedAt: ADMIN,
    role: ADMIN,
    status: ADMIN,
    lastUsedAt: ADMIN,
    requestsToday: ADMIN,
    rotatedAt: ADMIN,
    usage: ADMIN,
    usageCount: ADMIN,
  },
  ApiKeyUsageDay: { day: ADMIN, requests: ADMIN },
  ApiKeyRequest: {
    apiKeyId: ADMIN,
    collectedAt: ADMIN,
    createdAt: ADMIN,
    decidedAt: ADMIN,
    decidedBy: ADMIN,
    email: ADMIN,
    id: ADMIN,
    name: ADMIN,
    purpose: { min: ADMIN, canary: 'apiKeyRequest' },
    reason: ADMIN,
    status: ADMIN,
  },
  ApprovedApiKeyRequest: { apiKey: ADMIN, request: ADMIN },
  CreatedApiKey: { apiKey: ADMIN, key: ADMIN },
  Dataset: {
    groups: A,
    id: A,
    licenseId: A,
    licenseTitle: A,
    metadataCreated: A,
    metadataModified: A,
    name: A,
    notes: A,
    numResources: A,
    organizationName: A,
    organizationTitle: A,
    // private datasets are not in the list for anonymous users and developers at all
    private: A,
    tags: A,
    title: { min: A, canary: 'privateDataset' },
    view: A,
  },
  DatasetConnection: connection(A),
  DatasetEdge: edge(A),
  EtlRun: {
    cursorFrom: ADMIN,
    cursorTo: { min: ADMIN, canary: 'etlCursor' },
    dryRun: ADMIN,
    errorCode: ADMIN,
    errorMessage: { min: ADMIN, canary: 'etlError' },
    finishedAt: ADMIN,
    id: ADMIN,
    rowsDeleted: ADMIN,
    rowsLoaded: ADMIN,
    rowsQuarantined: ADMIN,
    rowsRead: ADMIN,
    rowsUnchanged: ADMIN,
    schemaDrift: { min: ADMIN, canary: 'etlDrift' },
    source: ADMIN,
    startedAt: ADMIN,
    status: ADMIN,
  },
  EtlRunConnection: connection(ADMIN),
  EtlRunEdge: edge(ADMIN),
  GeoFeature: { bbox: A, featureKey: A, geometry: A, layerKey: A, properties: A },
  GeoFeatureConnection: connection(A),
  GeoFeatureEdge: edge(A),
  GeoLayer: { featureCount: A, key: A, sourceCrs: A, title: A },
  Initiative: {
    benefits: A,
    field: A,
    focusPoints: A,
    id: A,
    involvedOrgUnits: A,
    key: A,
    lineage: A,
    priority: A,
    responsibleOrgUnit: A,
    responsibleRaw: A,
    size: A,
    sizeAlternative: A,
    status: A,
    statusRaw: A,
    title: A,
  },
  InitiativeConnection: connection(A),
  InitiativeEdge: edge(A),
  Kpi: { definition: A, denominator: A, dimensions: A, id: A, internal: A, numerator: A, source: A, title: A, unit: A },
  KpiPoint: { computedAt: A, dimensions: A, runId: A, source: A, suppressed: A, value: { min: A, canary: 'internalKpi' } },
  KpiResult: { computedAt: A, kpi: A, runId: A, values: A },
  KpiValue: { denominator: A, dimensions: A, numerator: A, suppressed: A, value: { min: A, canary: 'internalKpi' } },
  Lineage: { loadedAt: A, position: A, runId: A, runQuarantined: A, source: A },
  // milestones, status changes and interfaces are reached through internal fields only
  Milestone: { doneDate: S, dueDate: S, isClosed: S, key: S, overdue: S, title: { min: 'steering', canary: 'milestone' } },
  NavigatorField: { appendixSection: A, id: A, initiatives: A, key: A, name: A, pillar: A, position: A },
  OrgUnit: { children: A, code: A, id: A, kind: A, name: A, parent: A },
  OrgUnitConnection: connection(A),
  OrgUnitEdge: edge(A),
  OzgTopic: { key: A, kind: A, name: A, parent: A },
  PageInfo: { endCursor: A, hasNextPage: A, hasPreviousPage: A, startCursor: A },
  Pillar: { description: A, fields: A, id: A, key: A, name: A, position: A },
  Procedure: {
    annualCost: { min: 'steering', canary: 'procedureCost' },
    dmsConnection: A,
    endOfLifeDate: { min: 'steering', canary: 'procedureEndOfLife' },
    id: A,
    interfaces: S,
    key: A,
    lifecyclePhase: A,
    name: A,
    ownerOrgUnits: A,
    ozgReady: A,
    targetAction: S,
    targetDate: { min: 'steering', canary: 'procedureTargetDate' },
    targetDmsConnection: S,
    users: { min: 'steering', canary: 'procedureUsers' },
    vendor: A,
  },
  ProcedureConnection: connection(A),
  ProcedureEdge: edge(A),
  ProcedureInterface: { description: { min: 'steering', canary: 'interface' }, direction: S, fromKey: S, kind: S, toKey: S },
  Project: {
    dueDate: { min: 'steering', canary: 'projectDue' },
    goals: A,
    id: A,
    initiative: A,
    key: A,
    lineage: A,
    milestones: S,
    orgUnit: A,
    results: A,
    startDate: { min: 'steering', canary: 'projectStart' },
    status: A,
    statusHistory: S,
    statusRaw: A,
    // the project tool's projects are in the list for the steering team only
    title: { min: A, canary: 'internalProject' },
  },
  ProjectConnection: connection(A),
  ProjectEdge: edge(A),
  ProjectStatusChange: { status: S, statusRaw: { min: 'steering', canary: 'statusHistory' }, validFrom: S, validTo: S },
  QuarantinedRecord: {
    id: ADMIN,
    position: ADMIN,
    raw: { min: ADMIN, canary: 'quarantineRaw' },
    reason: { min: ADMIN, canary: 'quarantineReason' },
    reasonCode: ADMIN,
    runId: ADMIN,
    source: ADMIN,
  },
  QuarantinedRecordConnection: connection(ADMIN),
  QuarantinedRecordEdge: edge(ADMIN),
  QueuedRun: { queued: { min: ADMIN, unreached: 'see Mutation.triggerEtlRun' } },
  Service: {
    description: A,
    efa: S,
    id: A,
    implementationStatus: A,
    implementationStatusRaw: A,
    key: A,
    kind: A,
    legalBasis: A,
    legalBasisUrls: A,
    leikaKey: A,
    leikaType: A,
    maturity: A,
    metrics: A,
    online: A,
    ozgId: A,
    parent: A,
    procedure: S,
    responsibleOrgUnit: S,
    title: A,
    topic: A,
  },
  ServiceConnection: connection(A),
  ServiceEdge: edge(A),
  ServiceMaturity: { kind: A, level: A, model: A, online: A, targetDate: A, validFrom: A, validTo: A },
  ServiceMetric: { applicationsOffline: A, applicationsOnline: A, appointments: A, medianProcessingDays: A, month: A, suppressed: A },
  // the driver projects (issue 9): OZG-Monitoring, IT-Bebauung, program overview
  CarriedService: { depth: S, procedureKey: S, serviceKey: S, title: S },
  ChangeCounts: { erreicht: A, geaendert: A, geplant: A, verzoegert: A },
  DataStand: { finishedAt: A, runId: A, source: A },
  EndOfLifeOutlook: { annualCost: S, months: S, procedures: S, services: S, stichtag: S, until: S },
  EndingProcedure: {
    annualCost: S,
    basis: S,
    endOfLife: S,
    key: S,
    lifecyclePhase: S,
    name: S,
    overdue: S,
    ownerOrgUnits: S,
    services: S,
    targetAction: S,
  },
  ImpactedProcedure: { depth: S, key: S, name: S, path: S, procedure: S, via: S },
  KpiDelta: {
    computedAt: A,
    current: { min: A, canary: 'internalKpi' },
    delta: A,
    dimensions: A,
    kpiId: A,
    previous: A,
    suppressed: A,
    title: A,
    unit: A,
  },
  LandscapeGroup: {
    annualCost: { min: 'steering', canary: 'procedureCost' },
    costEndingWithin24Months: S,
    dmsConnected: A,
    endingWithin24Months: S,
    key: A,
    label: A,
    ozgReady: A,
    procedures: A,
    services: S,
  },
  OverdueMilestone: { daysOverdue: S, dueDate: S, key: S, projectKey: S, title: S },
  OzgForecast: { intercept: A, limits: A, method: A, open: A, points: A, reachMonth: A, reason: A, slopePerMonth: A, total: A },
  OzgLevels: { ist: A, soll: A, targetDate: A, targetMissed: A },
  OzgMonitoring: {
    dataAsOf: A,
    endToEnd: A,
    inProgress: A,
    notPlanned: A,
    online: A,
    planned: A,
    services: A,
    statusDefinition: A,
    stichtag: A,
    targetsMissed: A,
    withTarget: A,
  },
  OzgMonthlyReport: { columns: S, dataAsOf: S, month: S, preliminary: S, rows: S, stichtag: S, title: S },
  OzgProgressPoint: { computedAt: A, month: A, online: A, runId: A, suppressed: A, total: A },
  OzgReportColumn: { description: S, header: S, internal: S, key: S, type: S },
  OzgServiceStatus: {
    daysSinceTarget: A,
    efa: S,
    kind: A,
    leikaKey: A,
    model11: A,
    model20: A,
    online: A,
    ozgId: A,
    procedure: S,
    responsibleOrgUnit: S,
    service: A,
    serviceKey: A,
    status: A,
    stichtag: A,
    targetMissed: A,
    themenfeld: A,
    title: A,
  },
  OzgServiceStatusConnection: connection(A),
  OzgServiceStatusEdge: edge(A),
  OzgTarget: { changedBy: S, level: A, model: A, note: S, origin: S, serviceKey: A, targetDate: A, validFrom: A, validTo: A },
  ProcedureDependency: { dependentProcedures: S, dependentServices: S, interfaces: S, key: S, name: S, rank: S, services: S },
  ProcedureImpact: { cycles: S, direction: S, maxDepth: S, procedureKey: S, procedures: S, services: S, truncated: S },
  ProcedureNeighbour: {
    description: { min: 'steering', canary: 'interface' },
    interfaceDirection: S,
    interfaceKind: S,
    key: S,
    name: S,
    relation: S,
  },
  ProcedureSnapshot: {
    annualCost: S,
    dmsConnection: S,
    endOfLifeDate: S,
    lifecyclePhase: S,
    ozgReady: S,
    runId: S,
    targetAction: S,
    targetDate: S,
    targetDmsConnection: S,
    users: S,
    validFrom: S,
    validTo: S,
  },
  ProgramChange: {
    category: A,
    detail: A,
    fieldKey: A,
    kind: A,
    newValue: A,
    occurredAt: A,
    oldValue: A,
    parentKey: A,
    subjectKey: A,
    subjectTitle: A,
    subjectType: A,
    text: A,
  },
  ProgramField: { initiatives: A, initiativesByStatus: A, key: A, name: A, pillarKey: A, pillarName: A, projectsByStatus: A },
  ProgramInitiative: {
    driverProject: A,
    fieldKey: A,
    key: A,
    priority: A,
    projects: A,
    responsibleOrgUnit: A,
    size: A,
    status: A,
    statusRaw: A,
    title: A,
  },
  ProgramMonth: {
    changes: A,
    complete: A,
    counts: A,
    driverProjects: A,
    kpiDeltas: A,
    month: A,
    overdueMilestones: S,
    preliminary: A,
    stichtag: A,
    title: A,
  },
  ProgramOverview: { driverProjects: A, fields: A, pillars: A, projectsWithoutInitiative: A, stichtag: A },
  ProgramPillar: { driverProjects: A, fieldKeys: A, initiatives: A, key: A, name: A },
  ProgramProject: {
    dueDate: { min: 'steering', canary: 'projectDue' },
    initiativeKey: A,
    key: A,
    overdueMilestones: S,
    status: A,
    statusRaw: A,
    title: { min: A, canary: 'internalProject' },
  },
  StatusCount: { count: A, status: A },
};

const ruleOf = (spec: RuleSpec): Rule => (typeof spec === 'string' ? { min: spec } : spec);

// ───────────────────────────── the operations ─────────────────────────────

interface Variant {
  args?: string;
  /** this argument reaches data of a higher least role than the field itself */
  min?: Role;
  refusal?: Rule['refusal'];
}

const gid = (type: string, key: string) => toGlobalId(type, key);

/** Arguments for the root fields: one operation per variant (fields without required arguments run once without any). */
const variants: Record<string, Variant[]> = {
  'Query.aggregate': [
    { args: 'entity: services, groupBy: ["kind"], measures: [{ fn: count }]' },
    { args: 'entity: procedures, measures: [{ fn: sum, field: "annual_cost" }]', min: 'steering' },
  ],
  'Query.etlRun': [{ args: 'id: 901' }],
  'Query.geoFeatures': [{ args: 'layer: "stadtbereiche"' }, { args: 'layer: "canary-layer"' }],
  'Query.initiative': [{ args: 'key: "V01"' }],
  'Query.kpi': [{ args: 'id: "services.online"' }, { args: 'id: "procedures.cost"', min: 'steering' }],
  'Query.kpiSeries': [{ args: 'id: "services.online"' }, { args: 'id: "procedures.cost"', min: 'steering' }],
  'Query.node': [
    { args: `id: "${gid('Project', 'P001/19')}"` },
    { args: `id: "${gid('Project', 'OP-CANARY')}"`, min: 'steering', refusal: 'null' },
    { args: `id: "${gid('Procedure', 'FV-CANARY')}"` },
    { args: `id: "${gid('Service', 'ozg:10513')}"` },
    { args: `id: "${gid('Initiative', 'V01')}"` },
    { args: `id: "${gid('OrgUnit', '06')}"` },
    { args: `id: "${gid('Pillar', 'service')}"` },
    { args: `id: "${gid('NavigatorField', 'ozg')}"` },
  ],
  'Query.orgUnit': [{ args: 'code: "06.3"' }],
  'Query.procedure': [{ args: 'key: "FV-CANARY"' }],
  'Query.project': [{ args: 'key: "P001/19"' }, { args: 'key: "OP-CANARY"', min: 'steering', refusal: 'notFound' }],
  'Query.quarantine': [{ args: 'runId: 901' }],
  'Query.service': [{ args: 'key: "ozg:10513"' }, { args: 'key: "leika:99012001000000"' }],
  'Mutation.createApiKey': [{ args: 'name: "matrix", role: developer' }],
  'Mutation.registerDataset': [
    {
      args: 'input: { name: "matrix-dataset", title: "Matrix", license: "dl-by-de/2.0", organization: "hro-digitalisierung", groups: ["gove"], tags: ["Matrix"], view: "open.procedures" }',
    },
  ],
  'Mutation.updateDataset': [{ args: 'name: "canary-private-dataset", patch: { notes: "geändert" }' }],
  'Mutation.revokeApiKey': [{ args: 'id: 777' }],
  'Mutation.approveApiKeyRequest': [{ args: 'id: "00000000-0000-4000-8000-000000000001"' }],
  'Mutation.rejectApiKeyRequest': [{ args: 'id: "00000000-0000-4000-8000-000000000002", reason: "Kein Zweck erkennbar"' }],
  'Mutation.rotateApiKey': [{ args: 'id: 778' }],
  'Mutation.triggerEtlRun': [{ args: 'source: "strategy-catalog"' }],
  'Query.landscape': [{ args: 'by: org_unit' }, { args: 'by: lifecycle' }],
  'Query.ozgReport': [{ args: `month: "${currentMonth()}"` }],
  'Query.ozgTargetHistory': [{ args: 'serviceKey: "ozg:10513"' }],
  'Query.procedureHistory': [{ args: 'key: "FV-CANARY"' }],
  'Query.procedureImpact': [{ args: 'key: "FV-CANARY"' }],
  'Query.procedureNeighbours': [{ args: 'key: "FV-CANARY"' }],
  // the current month (new projects and milestones, the KPI snapshot) and the one before (a project status change)
  'Query.programMonth': [{}, { args: `month: "${addMonths(currentMonth(), -1)}"` }],
  'Mutation.setServiceTarget': [{ args: 'serviceKey: "ozg:10513", model: "1.1", level: 4, targetDate: "2027-12-31", note: "Matrix"' }],
  'Mutation.removeServiceTarget': [{ args: 'serviceKey: "ozg:10513", model: "2.0"' }],
};

/** Arguments of nested fields that require some (none today; a new one must be added here). */
const fieldArgs: Record<string, string> = {};

interface Sel {
  /** response key (an alias inside fragments, where types of the same name could clash) */
  key: string;
  field: string;
  parent: string;
  args: string;
  children?: Sel[];
  /** for interface types: the selection per possible object type */
  fragments?: Record<string, Sel[]>;
}

const MAX_DEPTH = 5;

type Composite = GraphQLObjectType | GraphQLInterfaceType;

function selections(type: GraphQLObjectType, path: string[], schema: Awaited<ReturnType<typeof getSchema>>, prefix = ''): Sel[] {
  const out: Sel[] = [];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
    const id = `${type.name}.${field.name}`;
    if (required.length > 0 && fieldArgs[id] === undefined) {
      missingArguments.add(id);
      continue;
    }
    const sel: Sel = { key: `${prefix}${field.name}`, field: field.name, parent: type.name, args: fieldArgs[id] ?? '' };
    if (isObjectType(named) || isInterfaceType(named)) {
      // each type at most twice on a path: self-references (parent, children) expand once, cycles end
      if (path.length >= MAX_DEPTH || path.filter((p) => p === named.name).length >= 2) continue;
      expand(sel, named, [...path, named.name], schema);
    }
    out.push(sel);
  }
  return out;
}

function expand(sel: Sel, type: Composite, path: string[], schema: Awaited<ReturnType<typeof getSchema>>): void {
  if (isObjectType(type)) sel.children = selections(type, path, schema);
  else {
    sel.children = [];
    sel.fragments = Object.fromEntries(
      schema.getPossibleTypes(type).map((t) => [t.name, selections(t, [...path, t.name], schema, `${t.name}__`)]),
    );
  }
}

function print(sels: Sel[]): string {
  return sels
    .map((s) => {
      const head = `${s.key === s.field ? '' : `${s.key}: `}${s.field}${s.args ? `(${s.args})` : ''}`;
      if (!s.children) return head;
      const fragments = Object.entries(s.fragments ?? {})
        .map(([t, f]) => `... on ${t} { ${print(f)} }`)
        .join(' ');
      return `${head} { __typename ${print(s.children)} ${fragments} }`;
    })
    .join(' ');
}

interface Operation {
  root: 'Query' | 'Mutation';
  field: string;
  variant: Variant;
  sel: Sel;
  source: string;
}

// ───────────────────────────── what a role saw ─────────────────────────────

interface Seen {
  /** values per Type.field, wherever the field was reached */
  values: Map<string, unknown[]>;
  /** error codes per Type.field */
  errors: Map<string, string[]>;
  /** per operation: the answer as text, and the variant's least role */
  answers: { op: Operation; text: string; codes: string[]; rootCodes: string[] }[];
}

function walk(value: unknown, sels: Sel[], fragments: Record<string, Sel[]> | undefined, seen: Seen): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, sels, fragments, seen);
    return;
  }
  const obj = value as Record<string, unknown>;
  const typename = typeof obj.__typename === 'string' ? obj.__typename : undefined;
  for (const s of [...sels, ...(typename && fragments ? (fragments[typename] ?? []) : [])]) {
    if (!(s.key in obj)) continue;
    const id = `${s.parent}.${s.field}`;
    seen.values.set(id, [...(seen.values.get(id) ?? []), obj[s.key]]);
    if (s.children) walk(obj[s.key], s.children, s.fragments, seen);
  }
}

/** The Type.field an error path points at. */
function fieldAt(root: Sel, path: readonly (string | number)[]): string | undefined {
  let current: Sel | undefined = root;
  for (const segment of path.slice(1)) {
    if (typeof segment === 'number' || !current) continue;
    const candidates: Sel[] = [...(current.children ?? []), ...Object.values(current.fragments ?? {}).flat()];
    current = candidates.find((c) => c.key === segment);
  }
  return current ? `${current.parent}.${current.field}` : undefined;
}

// ───────────────────────────── the test ─────────────────────────────

let db: TestDatabase;
let operations: Operation[];
let schemaFields: Set<string>;
const seen = new Map<Role, Seen>();
/** fields with required arguments that neither `variants` nor `fieldArgs` gives (not run; the first test names them) */
const missingArguments = new Set<string>();

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await db.pool.query(fixture);
  const schema = await getSchema();
  const roots = [schema.getQueryType(), schema.getMutationType()].filter((t): t is GraphQLObjectType => t !== null && t !== undefined);
  operations = roots.flatMap((root) =>
    Object.values(root.getFields()).flatMap((field) => {
      const id = `${root.name}.${field.name}`;
      const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      const list = variants[id] ?? (required.length > 0 ? [] : [{}]);
      if (list.length === 0) missingArguments.add(id);
      return list.map((variant) => {
        const sel: Sel = { key: field.name, field: field.name, parent: root.name, args: variant.args ?? '' };
        const named = getNamedType(field.type);
        if (isObjectType(named) || isInterfaceType(named)) expand(sel, named, [named.name], schema);
        const kind = root.name === 'Query' ? 'query' : 'mutation';
        return { root: root.name as 'Query' | 'Mutation', field: field.name, variant, sel, source: `${kind} { ${print([sel])} }` };
      });
    }),
  );
  // every field of every object type reachable from Query and Mutation, however deep
  schemaFields = new Set<string>();
  const queue: Composite[] = [...roots];
  const visited = new Set<string>();
  for (let type = queue.shift(); type; type = queue.shift()) {
    if (visited.has(type.name)) continue;
    visited.add(type.name);
    const implementations = isInterfaceType(type) ? schema.getPossibleTypes(type) : [];
    queue.push(...implementations);
    for (const field of Object.values(type.getFields())) {
      if (isObjectType(type)) schemaFields.add(`${type.name}.${field.name}`);
      const named = getNamedType(field.type);
      if (isObjectType(named) || isInterfaceType(named)) queue.push(named);
    }
  }

  // queries first, mutations after them (they change API keys and the catalog)
  const ordered = [...operations.filter((o) => o.root === 'Query'), ...operations.filter((o) => o.root === 'Mutation')];
  for (const role of roles) seen.set(role, { values: new Map(), errors: new Map(), answers: [] });
  for (const op of ordered) {
    for (const role of roles) {
      const s = seen.get(role);
      if (!s) continue;
      const result = await executeAs(db, role, op.source);
      const codes = (result.errors ?? []).map((e) => codeOf(e as never));
      for (const [i, e] of (result.errors ?? []).entries()) {
        const at = fieldAt(op.sel, e.path ?? []) ?? `${op.root}.${op.field}`;
        s.errors.set(at, [...(s.errors.get(at) ?? []), codes[i] ?? 'INTERNAL']);
      }
      if (result.data) walk(result.data, [op.sel], undefined, s);
      const rootCodes = codes.filter((_, i) => (result.errors?.[i]?.path?.length ?? 1) <= 1);
      s.answers.push({ op, text: JSON.stringify(result), codes, rootCodes });
    }
  }
}, 120_000);

afterAll(async () => {
  await db.close();
});

const rulesFlat = () =>
  new Map<string, Rule>(
    Object.entries(rules).flatMap(([type, fields]) => Object.entries(fields).map(([f, spec]) => [`${type}.${f}`, ruleOf(spec)] as const)),
  );

describe('role matrix (generated from the schema)', () => {
  it('has a rule for every field of the schema, and none for a field that is gone', () => {
    const table = rulesFlat();
    const missing = [...schemaFields].filter((f) => !table.has(f)).sort();
    const stale = [...table.keys()].filter((f) => !schemaFields.has(f)).sort();
    expect(
      [...missingArguments].sort(),
      'fields with required arguments: add them to `variants` / `fieldArgs` in role-matrix.test.ts',
    ).toEqual([]);
    expect(missing, 'fields without a rule in role-matrix.test.ts').toEqual([]);
    expect(stale, 'rules for fields the schema no longer has').toEqual([]);
    expect(operations.length).toBeGreaterThan(30);
  });

  it('shows anonymous users and developers no canary, on any field, in data or errors', () => {
    for (const role of ['anonymous', 'developer'] as const) {
      for (const answer of seen.get(role)?.answers ?? []) {
        for (const [name, c] of Object.entries(canaries)) {
          if (answer.text.includes(c.text))
            throw new Error(`${role} saw canary ${name} in ${answer.op.root}.${answer.op.field}(${answer.op.variant.args ?? ''})`);
        }
      }
    }
  });

  it('shows the steering team the internal canaries the policy allows, admins all, and nobody the unexposed ones', () => {
    for (const role of roles) {
      const text = (seen.get(role)?.answers ?? []).map((a) => a.text).join('\n');
      for (const [name, c] of Object.entries(canaries)) {
        const allowed = c.from !== 'nobody' && rank[role] >= rank[c.from];
        expect(text.includes(c.text), `${role} ${allowed ? 'should' : 'must not'} see canary ${name}`).toBe(allowed);
      }
    }
  });

  it('refuses every field below its least role, and never at or above it', () => {
    const table = rulesFlat();
    const problems: string[] = [];
    for (const role of roles) {
      const s = seen.get(role);
      if (!s) continue;
      for (const [field, rule] of table) {
        const values = s.values.get(field) ?? [];
        const codes = s.errors.get(field) ?? [];
        const refusals = codes.filter((c) => c === 'UNAUTHENTICATED' || c === 'FORBIDDEN');
        if (rank[role] < rank[rule.min]) {
          if (values.some((v) => v !== null)) problems.push(`${field} answered ${role} (least role ${rule.min})`);
          const expected = role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
          if (values.length > 0 && (rule.refusal ?? 'error') === 'error' && !refusals.includes(expected))
            problems.push(`${field} reached ${role} without an ${expected} refusal`);
        } else if (refusals.length > 0 && !isVariantRefusal(field, role)) {
          problems.push(`${field} refused ${role} (${refusals.join(', ')}), least role ${rule.min}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses the root variants that reach higher data the way their rule says', () => {
    const problems: string[] = [];
    for (const role of roles) {
      for (const { op, rootCodes: codes, text } of seen.get(role)?.answers ?? []) {
        const spec = rules[op.root]?.[op.field];
        if (spec === undefined) continue; // a field without a rule: the first test names it
        const min = op.variant.min ?? ruleOf(spec).min;
        const refusal = op.variant.min ? (op.variant.refusal ?? 'error') : (ruleOf(spec).refusal ?? 'error');
        const data = (JSON.parse(text) as { data?: Record<string, unknown> | null }).data;
        const value = data?.[op.field] ?? null;
        const name = `${op.root}.${op.field}(${op.variant.args ?? ''})`;
        if (rank[role] < rank[min]) {
          const expected =
            refusal === 'notFound' ? 'NOT_FOUND' : refusal === 'null' ? undefined : role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
          if (value !== null && !Array.isArray(value)) problems.push(`${name} answered ${role}`);
          if (expected && !codes.includes(expected))
            problems.push(`${name}: ${role} got ${codes.join(', ') || 'no error'}, not ${expected}`);
        } else if (codes.some((c) => c === 'UNAUTHENTICATED' || c === 'FORBIDDEN')) {
          problems.push(`${name} refused ${role}: ${codes.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows each rule’s canary at its field to the roles it is meant for', () => {
    const problems: string[] = [];
    for (const [field, rule] of rulesFlat()) {
      if (!rule.canary) continue;
      const c = canaries[rule.canary];
      for (const role of roles) {
        const at = JSON.stringify(seen.get(role)?.values.get(field) ?? []);
        const allowed = c.from !== 'nobody' && rank[role] >= rank[c.from] && rank[role] >= rank[rule.min];
        if (at.includes(c.text) !== allowed) problems.push(`${field}: ${role} ${allowed ? 'does not see' : 'sees'} ${rule.canary}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('reaches every field as admin (the fixture covers the schema)', () => {
    const admin = seen.get('admin');
    const unreached = [...rulesFlat()]
      .filter(([field, rule]) => !rule.unreached && !(admin?.values.get(field)?.length ?? 0))
      .map(([f]) => f);
    expect(unreached).toEqual([]);
  });
});

/** A refusal that comes from a root variant reaching higher data (e.g. an internal KPI), not from the field's own rule. */
function isVariantRefusal(field: string, role: Role): boolean {
  return (variants[field] ?? []).some((v) => v.min !== undefined && rank[role] < rank[v.min]);
}
