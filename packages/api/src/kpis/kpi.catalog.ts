/**
 * The steering team's KPIs (ARCHITECTURE.md, "KPIs the steering team asks for"), each computed
 * in SQL over `core`. Every KPI query returns rows of (dimensions jsonb, numerator, denominator,
 * value); a KPI without a cut returns one row with dimensions '{}'. Snapshots of all KPIs are
 * written inside every ETL run's merge transaction, so each KPI has a time series across runs.
 */
export interface KpiDefinition {
  id: string;
  title: string;
  /** the written definition: what is counted, over what, with which threshold */
  definition: string;
  unit: 'count' | 'share' | 'EUR';
  numerator: string;
  denominator: string | null;
  source: string;
  /** internal KPIs are for the steering role only (e.g. costs) */
  internal: boolean;
  /** dimensions the rows are cut by */
  dimensions: string[];
  sql: string;
}

/** "Online" in OZG maturity model 1.1: level 3 or higher (the model's own threshold). */
export const ONLINE_LEVEL_MODEL_11 = 3;

const share = (numerator: string, denominator: string) =>
  `(${numerator})::numeric as numerator, (${denominator})::numeric as denominator,
   case when (${denominator}) = 0 then null else round((${numerator})::numeric / (${denominator}), 4) end as value`;

const currentIst11 = `(select service_id, level from core.service_maturity where model = '1.1' and kind = 'ist' and valid_to is null)`;

export const kpiCatalog: KpiDefinition[] = [
  {
    id: 'services.online',
    title: 'Online verfügbare Leistungen',
    definition:
      'Anteil der OZG-Leistungen (Art ozg), deren aktueller IST-Reifegrad im Reifegradmodell 1.1 mindestens 3 beträgt (OZG-konform online). Nenner: alle OZG-Leistungen.',
    unit: 'share',
    numerator: 'OZG-Leistungen mit Reifegrad 1.1 ≥ 3',
    denominator: 'alle OZG-Leistungen',
    source: 'OZG-/LeiKa-Katalog',
    internal: false,
    dimensions: [],
    sql: `select '{}'::jsonb as dimensions, ${share('count(*) filter (where m.level >= 3)', 'count(*)')}
          from core.service s left join ${currentIst11} m on m.service_id = s.id where s.kind = 'ozg'`,
  },
  {
    id: 'services.maturity',
    title: 'Leistungen je Reifegrad',
    definition: 'Anzahl der OZG-Leistungen je aktuellem IST-Reifegrad (Modell 1.1, Stufen 0–4); ohne Angabe als Stufe „unbekannt“.',
    unit: 'count',
    numerator: 'OZG-Leistungen je Stufe',
    denominator: null,
    source: 'OZG-/LeiKa-Katalog',
    internal: false,
    dimensions: ['level'],
    sql: `select jsonb_build_object('level', coalesce(m.level::text, 'unbekannt')) as dimensions,
                 count(*)::numeric as numerator, null::numeric as denominator, count(*)::numeric as value
          from core.service s left join ${currentIst11} m on m.service_id = s.id where s.kind = 'ozg' group by m.level`,
  },
  {
    id: 'services.e2e',
    title: 'Leistungen Ende-zu-Ende digital',
    definition:
      'Anteil der Leistungen mit Checklisten-Antworten, bei denen die Frage „Sind Leistungen e2e verfügbar?“ (end_to_end) erfüllt ist: Portal → Fachverfahren → DMS, Bescheid digital.',
    unit: 'share',
    numerator: 'Leistungen mit end_to_end erfüllt',
    denominator: 'Leistungen mit beantworteter Checkliste',
    source: 'OZG-Monitoring (Checkliste der Strategie)',
    internal: false,
    dimensions: [],
    sql: `select '{}'::jsonb as dimensions, ${share('count(*) filter (where fulfilled)', 'count(*)')}
          from core.service_checklist where question_key = 'end_to_end'`,
  },
  {
    id: 'services.online_share_of_cases',
    title: 'Online-Anteil der Anträge',
    definition:
      'Online gestellte Anträge geteilt durch alle Anträge (online + offline), je Monat und Organisationseinheit (das Amt der Fallzahlen; ohne Angabe „unknown“), aus den Fallzahlen der Fachverfahren.',
    unit: 'share',
    numerator: 'Anträge online',
    denominator: 'Anträge online + offline',
    source: 'Fachverfahren (Fallzahlen)',
    internal: false,
    dimensions: ['month', 'org_unit'],
    sql: `select jsonb_build_object('month', to_char(m.month, 'YYYY-MM'), 'org_unit', coalesce(o.code, 'unknown')) as dimensions,
                 ${share('coalesce(sum(m.applications_online), 0)', 'coalesce(sum(m.applications_online), 0) + coalesce(sum(m.applications_offline), 0)')}
          from core.service_metric m left join core.org_unit o on o.id = m.org_unit_id group by m.month, o.code`,
  },
  {
    id: 'projects.by_status',
    title: 'Projekte nach Status',
    definition:
      'Anzahl der Projekte je normalisiertem Status (geplant, in Umsetzung, pausiert, abgeschlossen, abgebrochen, unbekannt); ein Projekt des Projekttools mit dem Schlüssel eines Projekts der Informationsvorlage zählt einmal.',
    unit: 'count',
    numerator: 'Projekte je Status',
    denominator: null,
    source: 'Projekttool und Informationsvorlage',
    internal: false,
    dimensions: ['status'],
    sql: `select jsonb_build_object('status', coalesce(status, 'unknown')) as dimensions,
                 count(*)::numeric as numerator, null::numeric as denominator, count(*)::numeric as value
          from core.project p
          -- a tool project carrying a council-paper key (steering_key) is the same project: count it once
          where not exists (select 1 from core.project c where c.key = p.steering_key and c.id <> p.id)
          group by status`,
  },
  {
    id: 'projects.overdue_milestones',
    title: 'Überfällige Meilensteine',
    definition:
      'Meilensteine, deren Fälligkeitsdatum vor dem Stichtag (Tag des ETL-Laufs) liegt und die weder erledigt noch geschlossen sind.',
    unit: 'count',
    numerator: 'überfällige Meilensteine',
    denominator: null,
    source: 'Projekttool',
    internal: true,
    dimensions: [],
    sql: `select '{}'::jsonb as dimensions, count(*)::numeric as numerator, null::numeric as denominator, count(*)::numeric as value
          from core.milestone where due_date < current_date and done_date is null and not is_closed`,
  },
  {
    id: 'initiatives.progress',
    title: 'Vorhaben nach Feld und Status',
    definition: 'Anzahl der Vorhaben der Strategie je Navigator-Feld und normalisiertem Status (ohne Statusangabe: „offen“).',
    unit: 'count',
    numerator: 'Vorhaben je Feld und Status',
    denominator: null,
    source: 'Strategie Digitale Verwaltung Rostock 2030',
    internal: false,
    dimensions: ['field', 'status'],
    sql: `select jsonb_build_object('field', f.key, 'status', coalesce(i.status, 'open')) as dimensions,
                 count(*)::numeric as numerator, null::numeric as denominator, count(*)::numeric as value
          from core.initiative i join core.navigator_field f on f.id = i.field_id group by f.key, i.status`,
  },
  {
    id: 'procedures.dms_connected',
    title: 'Fachverfahren mit DMS-Anbindung',
    definition: 'Anteil der Fachverfahren je Art der DMS-Anbindung (keine, einseitig, beidseitig) an allen Fachverfahren mit Angabe.',
    unit: 'share',
    numerator: 'Fachverfahren je Anbindungsart',
    denominator: 'Fachverfahren mit Angabe zur DMS-Anbindung',
    source: 'Fachverfahren (Verfahrensinventar)',
    internal: false,
    dimensions: ['dms_connection'],
    sql: `select jsonb_build_object('dms_connection', dms_connection) as dimensions,
                 ${share('count(*)', '(select count(*) from core.procedure where dms_connection is not null)')}
          from core.procedure where dms_connection is not null group by dms_connection`,
  },
  {
    id: 'procedures.ozg_ready',
    title: 'OZG-fähige Fachverfahren',
    definition: 'Anteil der Fachverfahren, die Online-Anträge entgegennehmen können (OZG-fähig = ja), an allen Fachverfahren mit Angabe.',
    unit: 'share',
    numerator: 'OZG-fähige Fachverfahren',
    denominator: 'Fachverfahren mit Angabe',
    source: 'Fachverfahren (Verfahrensinventar)',
    internal: false,
    dimensions: [],
    sql: `select '{}'::jsonb as dimensions, ${share('count(*) filter (where ozg_ready)', 'count(*)')}
          from core.procedure where ozg_ready is not null`,
  },
  {
    id: 'procedures.cost',
    title: 'Jahreskosten der Fachverfahren',
    definition: 'Summe der jährlichen Kosten der Fachverfahren in Euro je Lebenszyklusphase (intern).',
    unit: 'EUR',
    numerator: 'Summe Jahreskosten',
    denominator: null,
    source: 'Fachverfahren (Verfahrensinventar)',
    internal: true,
    dimensions: ['lifecycle_phase'],
    sql: `select jsonb_build_object('lifecycle_phase', coalesce(lifecycle_phase, 'unknown')) as dimensions,
                 coalesce(sum(annual_cost), 0)::numeric as numerator, null::numeric as denominator, coalesce(sum(annual_cost), 0)::numeric as value
          from core.procedure group by lifecycle_phase`,
  },
  {
    id: 'dms.eakte_rollout',
    title: 'E-Akte-Einführung in den Ämtern',
    definition:
      'Anteil der Ämter (Organisationseinheiten der Art Amt), die mindestens ein Fachverfahren mit beidseitiger DMS-Anbindung besitzen — als Näherung für die Arbeit mit der E-Akte, bis ein eigenes Rollout-Register geführt wird.',
    unit: 'share',
    numerator: 'Ämter mit beidseitig an das DMS angebundenem Fachverfahren',
    denominator: 'alle Ämter',
    source: 'Fachverfahren (Verfahrensinventar) und Organisationseinheiten',
    internal: false,
    dimensions: [],
    sql: `select '{}'::jsonb as dimensions,
                 ${share(
                   `count(*) filter (where exists (
                      select 1 from core.procedure_org_unit po join core.procedure p on p.id = po.procedure_id
                      join core.org_unit u on u.id = po.org_unit_id
                      where p.dms_connection = 'two_way' and (u.id = a.id or u.parent_id = a.id)))`,
                   'count(*)',
                 )}
          from core.org_unit a where a.kind = 'amt'`,
  },
];
