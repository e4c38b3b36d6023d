// Canary values for the access matrix (access-matrix.test.ts): distinctive strings, numbers and
// dates planted in every internal table and column, and public ones that must be seen, so the
// matrix proves it can see what it looks for. Each table of the schemas core, etl, staging and
// catalog has a rule here; a new table without one fails the test (its columns must be judged).
import type { Pool } from 'pg';
import { snapshotKpis } from '@hro/api/domain';

/**
 * Who may see a canary over HTTP: `public` everyone; `steering` the steering team and admins
 * (everything in core, internal datasets); `admin` admins only (ETL errors, quarantine, keys);
 * `nobody` no one, admins included (secrets such as key hashes).
 */
export type Level = 'public' | 'steering' | 'admin' | 'nobody';

export interface Canary {
  name: string;
  /** what is planted */
  value: string;
  level: Level;
  /**
   * false: no page or API shows the value on purpose (a raw column kept for lineage, a key's
   * contact), so the matrix does not ask to see it — it only checks that no one below sees it
   */
  shown: boolean;
  /** the renderings searched for in answers (the value itself, German number and date formats …) */
  forms: string[];
}

const deInteger = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 });
const deLongDate = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'UTC' });
const deMediumDate = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' });

/** A date as JSON, CSV, German pages and XLSX cells (Excel's day number) write it. */
function dateForms(iso: string): string[] {
  const day = new Date(`${iso}T00:00:00Z`);
  const [y, m, d] = iso.split('-');
  const excel = Math.round((day.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000);
  return [iso, `${d}.${m}.${y}`, deLongDate.format(day), deMediumDate.format(day), `<v>${excel}</v>`];
}

const canaryList: Canary[] = [];
function text(name: string, level: Level, shown = true): string {
  const value = `CANARY-${level === 'public' ? 'OPEN' : 'INTERN'}-${name}`;
  canaryList.push({ name, value, level, shown, forms: [value] });
  return value;
}
function integer(name: string, n: number, level: Level, shown = true): string {
  canaryList.push({ name, value: String(n), level, shown, forms: [String(n), deInteger.format(n)] });
  return String(n);
}
function date(name: string, iso: string, level: Level, shown = true): string {
  canaryList.push({ name, value: iso, level, shown, forms: dateForms(iso) });
  return iso;
}

// ───────────────────────────── the values ─────────────────────────────

export const C = {
  // etl
  runCursorFrom: text('RUN-CURSOR-FROM', 'admin', false),
  runCursorTo: text('RUN-CURSOR-TO', 'admin'),
  runDrift: text('RUN-DRIFT', 'admin'),
  runErrorCode: text('RUN-ERROR-CODE', 'admin'),
  runError: text('RUN-ERROR', 'admin'),
  dryRunSource: text('DRYRUN-SOURCE', 'admin'),
  quarantinePosition: text('QUARANTINE-POSITION', 'admin'),
  quarantineRaw: text('QUARANTINE-RAW', 'admin'),
  quarantineCode: text('QUARANTINE-CODE', 'admin'),
  quarantineReason: text('QUARANTINE-REASON', 'admin'),
  cursorValue: text('CURSOR-VALUE', 'admin', false),
  knownColumn: text('SOURCE-STATE-COLUMN', 'admin', false),
  // the strategy
  publicOrgUnit: text('ORGUNIT', 'public'),
  publicInitiative: text('VORHABEN', 'public'),
  initiativeTargetFieldRaw: text('VORHABEN-TARGET-FIELD-RAW', 'steering', false),
  initiativeInvolvedRaw: text('VORHABEN-INVOLVED-RAW', 'steering', false),
  initiativePrioSizeRaw: text('VORHABEN-PRIO-SIZE-RAW', 'steering', false),
  initiativeFocusRaw: text('VORHABEN-FOCUS-RAW', 'steering', false),
  initiativeBenefitsRaw: text('VORHABEN-BENEFITS-RAW', 'steering', false),
  // projects
  publicProject: text('PROJEKT', 'public'),
  projectTitleRaw: text('PROJEKT-TITLE-RAW', 'steering', false),
  projectGoalsRaw: text('PROJEKT-GOALS-RAW', 'steering', false),
  projectResultsRaw: text('PROJEKT-RESULTS-RAW', 'steering', false),
  projectType: text('PROJEKT-TYPE', 'steering', false),
  projectExternalId: text('PROJEKT-EXTERNAL-ID', 'steering', false),
  projectSteeringKey: text('PROJEKT-STEERING-KEY', 'steering', false),
  projectCustomField: text('PROJEKT-CUSTOM-FIELD', 'steering', false),
  projectStart: date('PROJEKT-START', '2090-01-02', 'steering'),
  projectDue: date('PROJEKT-DUE', '2093-09-15', 'steering'),
  toolProject: text('TOOL-PROJEKT', 'steering'),
  toolProjectStatus: text('TOOL-PROJEKT-STATUS', 'steering'),
  milestone: text('MEILENSTEIN', 'steering'),
  milestoneDue: date('MEILENSTEIN-DUE', '2094-10-16', 'steering'),
  statusHistory: text('STATUS-HISTORY', 'steering'),
  workPackage: text('WORK-PACKAGE', 'steering', false),
  workPackageStatus: text('WORK-PACKAGE-STATUS', 'steering', false),
  // procedures
  publicProcedure: text('FACHVERFAHREN', 'public'),
  procedureDescription: text('FACHVERFAHREN-DESCRIPTION', 'steering', false),
  procedureOwnersRaw: text('FACHVERFAHREN-OWNERS-RAW', 'steering', false),
  procedurePosition: text('FACHVERFAHREN-POSITION', 'steering', false),
  procedureCost: integer('FACHVERFAHREN-COST', 9_876_543, 'steering'),
  procedureUsers: integer('FACHVERFAHREN-USERS', 4_242_421, 'steering'),
  procedureTargetDate: date('FACHVERFAHREN-TARGET', '2091-07-13', 'steering'),
  procedureEndOfLife: date('FACHVERFAHREN-EOL', '2092-08-14', 'steering'),
  interface: text('SCHNITTSTELLE', 'steering'),
  interfaceKind: text('SCHNITTSTELLE-KIND', 'steering'),
  procedureHistory: text('FACHVERFAHREN-HISTORY', 'steering', false),
  // services
  publicService: text('LEISTUNG', 'public'),
  serviceLaw: text('LEISTUNG-LAW', 'steering', false),
  serviceLawAbbreviation: text('LEISTUNG-LAW-ABBR', 'steering', false),
  servicePosition: text('LEISTUNG-POSITION', 'steering', false),
  targetNote: text('ZIEL-NOTE', 'steering'),
  targetChangedBy: text('ZIEL-CHANGED-BY', 'steering'),
  targetClosedBy: text('ZIEL-CLOSED-BY', 'steering', false),
  maturityCriteria: text('REIFEGRAD-CRITERIA', 'steering', false),
  historyOrgUnit: text('HISTORY-ORGUNIT', 'steering'),
  historyProcedure: text('HISTORY-FACHVERFAHREN', 'steering'),
  // geodata
  publicGeo: text('GEO', 'public'),
  geoPosition: text('GEO-POSITION', 'steering', false),
  layerSourceUrl: text('LAYER-SOURCE-URL', 'steering', false),
  unpublishedLayer: text('LAYER', 'steering', false),
  unpublishedGeo: text('GEO-UNPUBLISHED', 'steering', false),
  // keys and audit
  apiKeyName: text('APIKEY-NAME', 'admin'),
  apiKeyPrefix: text('APIKEY-PREFIX', 'admin'),
  apiKeyContact: text('APIKEY-CONTACT', 'admin', false),
  apiKeyHash: text('APIKEY-HASH', 'nobody', false),
  auditActor: text('AUDIT-ACTOR', 'admin', false),
  auditTarget: text('AUDIT-TARGET', 'admin', false),
  auditDetails: text('AUDIT-DETAILS', 'admin', false),
  keyRequestName: text('KEY-REQUEST-NAME', 'admin', false),
  keyRequestEmail: text('KEY-REQUEST-EMAIL', 'admin', false),
  keyRequestPurpose: text('KEY-REQUEST-PURPOSE', 'admin', false),
  keyRequestTokenHash: text('KEY-REQUEST-TOKEN-HASH', 'nobody', false),
  keyRequestDecidedBy: text('KEY-REQUEST-DECIDED-BY', 'admin', false),
  keyRequestReason: text('KEY-REQUEST-REASON', 'admin', false),
  // the catalog: an internal dataset (backed by core.procedure), a draft, a deleted one, and a
  // published one misdeclared over a core table (whose data must reach no one)
  privateName: 'canary-intern-datensatz',
  privateTitle: text('DATENSATZ-TITLE', 'steering'),
  privateNotes: text('DATENSATZ-NOTES', 'steering'),
  privateExtra: text('DATENSATZ-EXTRA', 'steering', false),
  privateTag: text('DATENSATZ-TAG', 'steering'),
  privateResource: text('DATENSATZ-RESOURCE', 'steering'),
  privateResourceDescription: text('DATENSATZ-RESOURCE-DESCRIPTION', 'steering'),
  privateFormat: text('FORMAT', 'steering'),
  draftName: 'canary-entwurf',
  draftTitle: text('ENTWURF-TITLE', 'steering'),
  deletedName: 'canary-geloescht',
  deletedTitle: text('GELOESCHT-TITLE', 'steering'),
  misdeclaredName: 'canary-fehlkonfiguriert',
  misdeclaredTitle: text('FEHLKONFIGURIERT', 'public'),
} as const;

// the internal dataset's name is a canary too (lower case, as catalog names are)
canaryList.push({ name: 'DATENSATZ-NAME', value: C.privateName, level: 'steering', shown: true, forms: [C.privateName] });

export const canaries: readonly Canary[] = canaryList;

// ───────────────────────────── the tables ─────────────────────────────

/**
 * Every base table of core, etl, staging and catalog: the columns that hold internal values (each
 * gets a canary; the test checks that it holds one) and how its rows are planted. `internal: []`
 * with a reason: nothing in the table can carry a canary (links, flags, counts) or all is public.
 */
interface TableRule {
  internal: string[];
  why?: string;
  /** statements that plant the canaries (run in the order of this table) */
  plant?: string;
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const tableRules: Record<string, TableRule> = {
  'etl.run': {
    internal: ['cursor_from', 'cursor_to', 'schema_drift', 'error_code', 'error_message', 'source'],
    why: 'open.etl_runs publishes id, source, status, times and counts of real runs; errors, cursors, drift and dry runs are internal',
    plant: `
      insert into etl.run (id, source, status, finished_at, rows_read, rows_loaded) overriding system value
        values (900, 'strategy-catalog', 'succeeded', now(), 10, 10);
      insert into etl.run (id, source, status, finished_at, cursor_from, cursor_to, schema_drift, error_code, error_message) overriding system value
        values (901, 'openproject', 'failed', now(), ${q(C.runCursorFrom)}, ${q(C.runCursorTo)}, '{"added": [${JSON.stringify(C.runDrift)}]}',
          ${q(C.runErrorCode)}, ${q(C.runError)});
      insert into etl.run (id, source, status, dry_run, finished_at) overriding system value
        values (902, ${q(C.dryRunSource)}, 'succeeded', true, now());`,
  },
  'etl.quarantine': {
    internal: ['position', 'raw', 'reason_code', 'reason'],
    plant: `insert into etl.quarantine (run_id, source, position, raw, reason_code, reason)
      values (901, 'openproject', ${q(C.quarantinePosition)}, '{"cell": ${JSON.stringify(C.quarantineRaw)}}', ${q(C.quarantineCode)}, ${q(C.quarantineReason)});`,
  },
  'etl.cursor': {
    internal: ['value'],
    plant: `insert into etl.cursor (source, value, run_id) values ('openproject', ${q(C.cursorValue)}, 901);`,
  },
  'etl.source_state': {
    internal: ['known_columns'],
    plant: `insert into etl.source_state (source, known_columns) values ('openproject', array[${q(C.knownColumn)}]);`,
  },
  'core.pillar': {
    internal: [],
    why: 'public (open.pillars)',
    plant: `insert into core.pillar (key, name, description, position) values ('service', 'Service-Management', 'Dienste', 1);`,
  },
  'core.navigator_field': {
    internal: [],
    why: 'public (open.navigator_fields)',
    plant: `insert into core.navigator_field (key, name, appendix_section, pillar_id, position)
      values ('ozg', 'OZG', '6.1', (select id from core.pillar where key = 'service'), 1);`,
  },
  'core.org_unit': {
    internal: [],
    why: 'public (open.org_units)',
    plant: `
      insert into core.org_unit (code, name, kind) values ('06', ${q(C.publicOrgUnit)}, 'amt');
      insert into core.org_unit (code, name, kind, parent_id) values ('06.3', 'Bereich 06.3', 'unit', (select id from core.org_unit where code = '06'));`,
  },
  'core.initiative': {
    internal: ['target_field_raw', 'involved_raw', 'prio_size_raw', 'focus_points_raw', 'benefits_raw'],
    why: 'open.initiatives publishes the normalised columns; the raw cells of the strategy document are kept for lineage only',
    plant: `insert into core.initiative (key, title, field_id, responsible_org_unit_id, responsible_raw, priority, size, status, status_raw,
        focus_points, benefits, source_position, last_run_id, target_field_raw, involved_raw, prio_size_raw, focus_points_raw, benefits_raw)
      values ('V01', ${q(C.publicInitiative)}, (select id from core.navigator_field where key = 'ozg'), (select id from core.org_unit where code = '06'),
        'Amt 06', 1, 'A', 'in_progress', 'läuft', '{Punkt}', '{Nutzen}', 'initiatives.yaml:3', 900,
        ${q(C.initiativeTargetFieldRaw)}, ${q(C.initiativeInvolvedRaw)}, ${q(C.initiativePrioSizeRaw)}, ${q(C.initiativeFocusRaw)}, ${q(C.initiativeBenefitsRaw)});`,
  },
  'core.initiative_org_unit': {
    internal: [],
    why: 'links only (public through open.initiatives)',
    plant: `insert into core.initiative_org_unit (initiative_id, org_unit_id, role)
      values ((select id from core.initiative where key = 'V01'), (select id from core.org_unit where code = '06.3'), 'involved');`,
  },
  'core.project': {
    internal: [
      'title',
      'status_raw',
      'title_raw',
      'goals_raw',
      'results_raw',
      'project_type',
      'external_id',
      'steering_key',
      'custom_fields',
      'start_date',
      'due_date',
    ],
    why: 'open.projects publishes the council paper’s projects without dates; the project tool’s projects are internal',
    plant: `
      insert into core.project (key, title, goals, results, source, status, status_raw, initiative_id, org_unit_id, source_position, last_run_id,
          title_raw, goals_raw, results_raw, project_type, external_id, steering_key, custom_fields, start_date, due_date)
        values ('P001/19', ${q(C.publicProject)}, '{Ziel}', '{Ergebnis}', 'council-paper', 'in_progress', 'In Umsetzung',
          (select id from core.initiative where key = 'V01'), (select id from core.org_unit where code = '06'), 'projects.csv:2', 900,
          ${q(C.projectTitleRaw)}, ${q(C.projectGoalsRaw)}, ${q(C.projectResultsRaw)}, ${q(C.projectType)}, ${q(C.projectExternalId)},
          ${q(C.projectSteeringKey)}, '{"feld": ${JSON.stringify(C.projectCustomField)}}', ${q(C.projectStart)}, ${q(C.projectDue)});
      insert into core.project (key, title, source, external_id, status, status_raw)
        values ('OP-CANARY', ${q(C.toolProject)}, 'openproject', 'c1', 'on_hold', ${q(C.toolProjectStatus)});`,
  },
  'core.milestone': {
    internal: ['title', 'due_date'],
    plant: `insert into core.milestone (project_id, key, title, due_date, is_closed) values
      ((select id from core.project where key = 'P001/19'), 'm1', ${q(C.milestone)}, current_date - 3, false),
      ((select id from core.project where key = 'P001/19'), 'm2', 'Abnahme', ${q(C.milestoneDue)}, false);`,
  },
  'core.project_status_history': {
    internal: ['status_raw'],
    plant: `insert into core.project_status_history (project_id, status, status_raw, valid_from, valid_to) values
      ((select id from core.project where key = 'P001/19'), 'planned', ${q(C.statusHistory)}, now() - interval '60 days', now() - interval '30 days'),
      ((select id from core.project where key = 'P001/19'), 'in_progress', 'In Umsetzung', now() - interval '30 days', null);`,
  },
  'core.work_package': {
    internal: ['subject', 'status_raw'],
    plant: `insert into core.work_package (source, external_id, project_id, subject, status_raw)
      values ('openproject', 'wp1', (select id from core.project where key = 'OP-CANARY'), ${q(C.workPackage)}, ${q(C.workPackageStatus)});`,
  },
  'core.procedure': {
    internal: ['description', 'owner_org_units_raw', 'source_position', 'annual_cost', 'users', 'target_date', 'end_of_life_date'],
    why: 'open.procedures publishes no cost, no users, no SOLL; only one procedure has a cost, so every sum of costs is the canary',
    plant: `
      insert into core.procedure (key, name, vendor, lifecycle_phase, ozg_ready, dms_connection, annual_cost, users, target_action,
          target_dms_connection, target_date, end_of_life_date, description, owner_org_units_raw, source_position)
        values ('FV-CANARY', ${q(C.publicProcedure)}, 'HSH', 'operation', true, 'one_way', ${C.procedureCost}, ${C.procedureUsers}, 'replace',
          'two_way', ${q(C.procedureTargetDate)}, ${q(C.procedureEndOfLife)}, ${q(C.procedureDescription)}, ${q(C.procedureOwnersRaw)},
          ${q(C.procedurePosition)});
      insert into core.procedure (key, name, lifecycle_phase, end_of_life_date) values ('FV-2', 'Sozialverfahren', 'operation', current_date + 30);`,
  },
  'core.procedure_org_unit': {
    internal: [],
    why: 'links only; owners are public (open.procedures), users internal',
    plant: `insert into core.procedure_org_unit (procedure_id, org_unit_id, role) values
      ((select id from core.procedure where key = 'FV-CANARY'), (select id from core.org_unit where code = '06'), 'owner'),
      ((select id from core.procedure where key = 'FV-CANARY'), (select id from core.org_unit where code = '06.3'), 'user');`,
  },
  'core.procedure_interface': {
    internal: ['description', 'kind'],
    plant: `insert into core.procedure_interface (from_procedure_id, to_procedure_id, description, kind)
      values ((select id from core.procedure where key = 'FV-CANARY'), (select id from core.procedure where key = 'FV-2'), ${q(C.interface)}, ${q(C.interfaceKind)});`,
  },
  'core.procedure_history': {
    internal: ['snapshot'],
    plant: `insert into core.procedure_history (procedure_id, snapshot, valid_from)
      values ((select id from core.procedure where key = 'FV-CANARY'),
        '{"ist": {"lifecycle_phase": "operation"}, "soll": {"target_action": "replace"}, "note": ${JSON.stringify(C.procedureHistory)}}', now() - interval '1 day');`,
  },
  'core.ozg_topic': {
    internal: [],
    why: 'public (open.services)',
    plant: `
      insert into core.ozg_topic (key, name, kind) values ('themenfeld:2', 'Bauen & Wohnen', 'themenfeld');
      insert into core.ozg_topic (key, name, kind, parent_id) values ('lebenslage:14', 'Bauen & Immobilien', 'lebenslage', (select id from core.ozg_topic where key = 'themenfeld:2'));`,
  },
  'core.ozg_code': { internal: [], why: 'public code lists' },
  'core.service': {
    internal: ['law_name', 'law_abbreviation', 'source_position'],
    why: 'open.services leaves out the org unit, the procedure and EfA (links and a flag: the history rows carry them as text) and the law columns',
    plant: `
      insert into core.service (key, kind, ozg_id, title, description, topic_id, responsible_org_unit_id, procedure_id, efa, implementation_status,
          implementation_status_raw, legal_basis, leika_type, law_name, law_abbreviation, source_position)
        values ('ozg:10513', 'ozg', '10513', ${q(C.publicService)}, 'Abbruch', (select id from core.ozg_topic where key = 'lebenslage:14'),
          (select id from core.org_unit where code = '06.3'), (select id from core.procedure where key = 'FV-2'), true, 'online', 'umgesetzt',
          '§ 61 LBauO', '1', ${q(C.serviceLaw)}, ${q(C.serviceLawAbbreviation)}, ${q(C.servicePosition)});
      insert into core.service (key, kind, leika_key, ozg_id, parent_id, title)
        values ('leika:99012001000000', 'leika', '99012001000000', '10513', (select id from core.service where key = 'ozg:10513'), 'Abbruch anzeigen');`,
  },
  'core.service_history': {
    internal: ['responsible_org_unit', 'procedure_key'],
    why: 'the monthly report’s internal columns; written by triggers, the canaries overwrite the current row',
    plant: `update core.service_history set responsible_org_unit = ${q(C.historyOrgUnit)}, procedure_key = ${q(C.historyProcedure)}
      where key = 'ozg:10513';`,
  },
  'core.service_maturity': {
    internal: ['note', 'changed_by', 'closed_by', 'criteria'],
    plant: `insert into core.service_maturity (service_id, model, kind, level, valid_from, criteria) values
        ((select id from core.service where key = 'ozg:10513'), '1.1', 'ist', 3, '2025-01-01', '{"k": ${JSON.stringify(C.maturityCriteria)}}');
      insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from, valid_to, origin, changed_by, closed_by) values
        ((select id from core.service where key = 'ozg:10513'), '1.1', 'soll', 3, '2025-06-30', '2025-01-01', now() - interval '2 days', 'api', 'key:1', ${q(C.targetClosedBy)});
      insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from, origin, changed_by, note) values
        ((select id from core.service where key = 'ozg:10513'), '1.1', 'soll', 4, '2026-12-31', now() - interval '2 days', 'api', ${q(C.targetChangedBy)}, ${q(C.targetNote)});`,
  },
  'core.checklist_question': { internal: [], why: 'public checklist of the strategy' },
  'core.service_checklist': { internal: [], why: 'flags only' },
  'core.service_metric': {
    internal: [],
    why: 'counts; published with counts of 1–4 withheld (checked by the KPI and view tests, no canary can carry a small count)',
    plant: `insert into core.service_metric (service_id, month, applications_online, applications_offline, appointments, median_processing_days, org_unit_id)
      values ((select id from core.service where key = 'ozg:10513'), '2025-01-01', 120, 80, 40, 6.5, (select id from core.org_unit where code = '06'));`,
  },
  'core.geo_layer': {
    internal: ['title', 'source_url'],
    why: 'unpublished layers are internal; so is every layer’s source URL',
    plant: `insert into core.geo_layer (key, title, source_crs, published, source_url) values
      ('stadtbereiche', 'Stadtbereiche', 'EPSG:25833', true, ${q(C.layerSourceUrl)}),
      ('canary-layer', ${q(C.unpublishedLayer)}, null, false, null);`,
  },
  'core.geo_feature': {
    internal: ['properties', 'source_position'],
    plant: `insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties, source_position) values
      ((select id from core.geo_layer where key = 'stadtbereiche'), 'A', '{"type":"Point","coordinates":[12.1,54.1]}', box(point(12.1,54.1), point(12.1,54.1)),
        '{"bezeichnung": ${JSON.stringify(C.publicGeo)}}', ${q(C.geoPosition)}),
      ((select id from core.geo_layer where key = 'canary-layer'), 'X', '{"type":"Point","coordinates":[12.1,54.1]}', box(point(12.1,54.1), point(12.1,54.1)),
        '{"note": ${JSON.stringify(C.unpublishedGeo)}}', null);`,
  },
  'core.kpi_snapshot': {
    internal: ['value'],
    why: 'internal KPIs (procedures.cost: the canary cost) — written by snapshotKpis after the fixture',
  },
  'core.kpi_definition': { internal: [], why: 'the KPI catalog is public (internal KPIs are marked, their values withheld)' },
  'core.api_key': {
    internal: ['name', 'prefix', 'contact', 'hash'],
    plant: `insert into core.api_key (id, prefix, hash, name, role, contact) overriding system value
      values (777, ${q(C.apiKeyPrefix)}, ${q(C.apiKeyHash)}, ${q(C.apiKeyName)}, 'developer', ${q(C.apiKeyContact)});`,
  },
  'core.audit_log': {
    internal: ['actor', 'target', 'details'],
    plant: `insert into core.audit_log (actor, action, target, details)
      values (${q(C.auditActor)}, 'apikey.create', ${q(C.auditTarget)}, '{"note": ${JSON.stringify(C.auditDetails)}}');`,
  },
  'core.data_version': { internal: [], why: 'a counter' },
  'core.initiative_status_history': { internal: [], why: 'public: the Vorhaben’s status changes (open.program_changes)' },
  'core.api_key_request': {
    internal: ['name', 'email', 'purpose', 'token_hash', 'decided_by', 'reason'],
    plant: `insert into core.api_key_request (name, email, purpose, terms_accepted_at, token_hash, status, decided_at, decided_by, reason)
      values (${q(C.keyRequestName)}, ${q(C.keyRequestEmail)}, ${q(C.keyRequestPurpose)}, now(), ${q(C.keyRequestTokenHash)}, 'rejected', now(),
        ${q(C.keyRequestDecidedBy)}, ${q(C.keyRequestReason)});`,
  },
  'core.api_key_usage': { internal: [], why: 'counts per key and day' },
  'catalog.license': { internal: [], why: 'public' },
  'catalog.organization': { internal: [], why: 'public' },
  'catalog.group': { internal: [], why: 'public' },
  'catalog.tag': {
    internal: ['name'],
    why: 'a tag only internal datasets carry is internal (tag_list counts only what the viewer sees)',
    plant: `insert into catalog.tag (name) values (${q(C.privateTag)});`,
  },
  'catalog.dataset': {
    internal: ['name', 'title', 'notes', 'extras', 'tag_names', 'res_formats'],
    why: 'private, draft and deleted datasets are internal (CKAN: members and sysadmins)',
    plant: `
      insert into catalog.dataset (name, title, notes, license_id, organization_id, private, source_view, extras)
        values (${q(C.privateName)}, ${q(C.privateTitle)}, ${q(C.privateNotes)}, 'dl-by-de/2.0',
          (select id from catalog.organization where name = 'hro-digitalisierung'), true, 'core.procedure', '{"hinweis": ${JSON.stringify(C.privateExtra)}}');
      insert into catalog.dataset (name, title, license_id, organization_id, private, state, source_view) values
        (${q(C.draftName)}, ${q(C.draftTitle)}, 'dl-by-de/2.0', (select id from catalog.organization where name = 'hro-digitalisierung'), false, 'draft', 'open.projects'),
        (${q(C.deletedName)}, ${q(C.deletedTitle)}, 'dl-by-de/2.0', (select id from catalog.organization where name = 'hro-digitalisierung'), false, 'deleted', 'open.projects'),
        (${q(C.misdeclaredName)}, ${q(C.misdeclaredTitle)}, 'dl-by-de/2.0', (select id from catalog.organization where name = 'hro-digitalisierung'), false, 'active', 'core.procedure');`,
  },
  'catalog.dataset_group': {
    internal: [],
    why: 'links only',
    plant: `insert into catalog.dataset_group (dataset_id, group_id)
      select d.id, g.id from catalog.dataset d, catalog."group" g where d.name = ${q(C.privateName)} and g.name = 'gove';`,
  },
  'catalog.dataset_tag': {
    internal: [],
    why: 'links only',
    plant: `insert into catalog.dataset_tag (dataset_id, tag_id)
      select d.id, t.id from catalog.dataset d, catalog.tag t where d.name = ${q(C.privateName)} and t.name = ${q(C.privateTag)};`,
  },
  'catalog.resource': {
    internal: ['name', 'description', 'format'],
    plant: `insert into catalog.resource (dataset_id, name, description, format, position, view_name, datastore_active)
      select d.id, v.name, v.description, v.format, v.position, 'core.procedure', v.position = 0
      from catalog.dataset d, (values
        (${q(C.privateResource)}, ${q(C.privateResourceDescription)}, 'CSV', 0),
        ('Tabelle', '', ${q(C.privateFormat)}, 1)) as v(name, description, format, position)
      where d.name = ${q(C.privateName)};
      insert into catalog.resource (dataset_id, name, format, position, view_name, datastore_active)
      select d.id, 'Tabelle (CSV)', 'CSV', 0, 'core.procedure', true from catalog.dataset d where d.name = ${q(C.misdeclaredName)};`,
  },
};

/** Every base table of the schemas that hold data. */
export async function dataTables(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `select table_schema || '.' || table_name as name from information_schema.tables
     where table_schema in ('core', 'etl', 'staging', 'catalog') and table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((r) => r.name);
}

/** Plants the canaries (tables in the order of `tableRules`; rules of tables this database lacks are skipped) and the KPI snapshots. */
export async function plantCanaries(pool: Pool): Promise<void> {
  const present = new Set(await dataTables(pool));
  for (const [table, rule] of Object.entries(tableRules)) {
    if (rule.plant && present.has(table)) await pool.query(rule.plant);
  }
  const client = await pool.connect();
  try {
    await client.query('begin');
    await snapshotKpis(client, 900);
    await client.query('commit');
  } finally {
    client.release();
  }
}

/**
 * The internal columns (by the rules) that hold no canary after planting — each must hold one,
 * else the matrix would not test it.
 */
export async function unplantedColumns(pool: Pool): Promise<string[]> {
  const present = new Set(await dataTables(pool));
  const missing: string[] = [];
  const values = canaries.map((c) => c.value);
  for (const [table, rule] of Object.entries(tableRules)) {
    if (!present.has(table)) continue;
    const [schema, name] = table.split('.') as [string, string];
    for (const column of rule.internal) {
      const { rows } = await pool.query<{ found: boolean }>(
        `select exists (select 1 from "${schema}"."${name}" t where exists (select 1 from unnest($1::text[]) v where t."${column}"::text like '%' || v || '%')) as found`,
        [values],
      );
      if (!rows[0]?.found) missing.push(`${table}.${column}`);
    }
  }
  return missing;
}
