import { join, resolve } from 'node:path';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import { addCounts, defineConnector, type EntitySpec, type MergeCounts, type RawRecord } from '../connector.js';
import { readCsvRecords, readYamlListRecords } from '../read-table.js';
import { normalizeStatus, parsePrioSize, responsibleCodes, orgUnitCodes, splitBullets, splitParagraphs, stripHtml } from './cells.js';
import { upsert } from '../../pipeline/upsert.js';

// ── entities: what a valid row of each file is, and what gets staged ──

const text = z.string().trim();
const optionalText = z.string().trim().default('');

const pillar = z.object({ key: text.min(1), name: text.min(1), description: optionalText });
const field = z.object({
  key: text.min(1),
  name: text.min(1),
  appendix_section: optionalText,
  pillar_key: optionalText.transform((v) => v || null),
});
const orgUnit = z
  .object({
    code: text.regex(/^[a-z0-9_.]+$/, 'code: digits with dots (06.3) or a lower-case slug'),
    name: text.min(1),
    parent_code: optionalText.transform((v) => v || null),
  })
  .transform((u) => ({ ...u, kind: orgKind(u.code) }));
const checklistQuestion = z.object({
  position: z.coerce.number().int().min(1).max(9),
  key: text.regex(/^[a-z_]+$/),
  question: text.min(1),
});
const initiative = z
  .object({
    key: text.regex(/^V\d{2}$/, 'key: V followed by two digits'),
    section: text,
    field: text.min(1),
    title: text.min(1),
    target_field_raw: optionalText,
    responsible_raw: z.string().default(''),
    involved_raw: z.string().default(''),
    prio_size_raw: z.string().default(''),
    status_raw: z.string().default(''),
    focus_points_raw: z.string().default(''),
    benefits_raw: z.string().default(''),
  })
  .transform((v) => {
    const prio = parsePrioSize(v.prio_size_raw);
    return {
      key: v.key,
      title: stripHtml(v.title),
      field_key: v.field,
      target_field_raw: v.target_field_raw,
      responsible_raw: v.responsible_raw,
      responsible_codes: responsibleCodes(v.responsible_raw),
      involved_codes: orgUnitCodes(v.involved_raw),
      involved_raw: v.involved_raw,
      priority: prio.priority,
      size: prio.size,
      size_alternative: prio.sizeAlternative,
      prio_size_raw: v.prio_size_raw,
      status: normalizeStatus(v.status_raw),
      status_raw: v.status_raw,
      focus_points: splitBullets(v.focus_points_raw, '•'),
      benefits: splitBullets(v.benefits_raw, '+'),
      focus_points_raw: v.focus_points_raw,
      benefits_raw: v.benefits_raw,
    };
  });
const project = z
  .object({
    key: text.regex(/^[A-Z]\d{3}\/\d{2}$/, 'key: a letter, three digits, slash, two digits (P001/19)'),
    title: text.min(1),
    title_raw: z.string().default(''),
    goals_raw: z.string().default(''),
    results_raw: z.string().default(''),
    status_raw: z.string().default(''),
  })
  .transform((v) => ({
    key: v.key,
    title: stripHtml(v.title),
    title_raw: v.title_raw,
    goals: splitParagraphs(v.goals_raw),
    results: splitParagraphs(v.results_raw),
    goals_raw: v.goals_raw,
    results_raw: v.results_raw,
    status: normalizeStatus(v.status_raw),
    status_raw: v.status_raw,
    source: 'council-paper',
  }));

// One Vorhaben per Treiberprojekt the strategy names (4.2), as it names it there.
const driverProject = z.object({
  key: text.regex(/^V\d{2}$/, 'key: V followed by two digits'),
  strategy_name: text.min(1),
});

function orgKind(code: string): 'amt' | 'unit' | 'office' {
  if (/^\d{2}$/.test(code)) return 'amt';
  if (/^\d{2}\.\d+$/.test(code)) return 'unit';
  return 'office';
}

const entities = {
  pillar: {
    schema: pillar,
    key: ['key'],
    columns: { key: 'text', name: 'text', description: 'text' },
    expectedFields: ['key', 'name', 'description'],
  },
  field: {
    schema: field,
    key: ['key'],
    columns: { key: 'text', name: 'text', appendix_section: 'text', pillar_key: 'text' },
    expectedFields: ['key', 'name', 'appendix_section', 'pillar_key'],
  },
  org_unit: { schema: orgUnit, key: ['code'], columns: { code: 'text', name: 'text', kind: 'text', parent_code: 'text' } },
  checklist_question: { schema: checklistQuestion, key: ['key'], columns: { key: 'text', position: 'smallint', question: 'text' } },
  initiative: {
    schema: initiative,
    key: ['key'],
    columns: {
      key: 'text',
      title: 'text',
      field_key: 'text',
      target_field_raw: 'text',
      responsible_raw: 'text',
      responsible_codes: 'text[]',
      involved_codes: 'text[]',
      involved_raw: 'text',
      priority: 'smallint',
      size: 'text',
      size_alternative: 'text',
      prio_size_raw: 'text',
      status: 'text',
      status_raw: 'text',
      focus_points: 'text[]',
      benefits: 'text[]',
      focus_points_raw: 'text',
      benefits_raw: 'text',
    },
  },
  driver_project: {
    schema: driverProject,
    key: ['key'],
    columns: { key: 'text', strategy_name: 'text' },
    expectedFields: ['key', 'strategy_name'],
  },
  project: {
    schema: project,
    key: ['key'],
    columns: {
      key: 'text',
      title: 'text',
      title_raw: 'text',
      goals: 'text[]',
      results: 'text[]',
      goals_raw: 'text',
      results_raw: 'text',
      status: 'text',
      status_raw: 'text',
      source: 'text',
    },
  },
} satisfies Record<string, EntitySpec>;

export const strategyConfig = z.object({
  /** Directory holding pillars.csv, navigator_fields.csv, org_units.csv, ozg_checklist.csv, initiatives.yaml, treiberprojekte.csv, projects.yaml */
  path: z.string().min(1),
});
export type StrategyConfig = z.infer<typeof strategyConfig>;

const files: [string, keyof typeof entities, 'csv' | 'yaml'][] = [
  ['pillars.csv', 'pillar', 'csv'],
  ['navigator_fields.csv', 'field', 'csv'],
  ['org_units.csv', 'org_unit', 'csv'],
  ['ozg_checklist.csv', 'checklist_question', 'csv'],
  ['initiatives.yaml', 'initiative', 'yaml'],
  ['treiberprojekte.csv', 'driver_project', 'csv'],
  ['projects.yaml', 'project', 'yaml'],
];

/**
 * The strategy catalog: reference data of "Digitale Verwaltung Rostock 2030" and the council
 * paper's project list, kept as editable files in the repository (packages/etl/data/strategy).
 * A full-refresh source: what the files no longer list is deleted.
 */
export const strategyConnector = defineConnector<StrategyConfig>({
  kind: 'strategy',
  description:
    'Strategy reference data (pillars, navigator fields, org units, checklist, Vorhaben, council-paper projects) from CSV/YAML files',
  configSchema: strategyConfig,
  entities,
  async *extract(config, ctx): AsyncIterable<RawRecord> {
    const dir = resolve(ctx.baseDir, config.path);
    for (const [file, entity, format] of files) {
      const path = join(dir, file);
      yield* format === 'csv' ? readCsvRecords(path, entity) : readYamlListRecords(path, entity);
    }
  },
  async merge(tx: PoolClient, ctx): Promise<MergeCounts> {
    const { runId } = ctx;
    let counts: MergeCounts = { loaded: 0, unchanged: 0, deleted: 0 };
    const add = (c: MergeCounts) => {
      counts = addCounts(counts, c);
    };
    add(
      await upsert(tx, {
        table: 'core.pillar',
        key: ['key'],
        runId,
        fullRefresh: true,
        from: ctx.staged('pillar'),
        columns: ['key', 'name', 'description'],
        derived: { position: 'r._ordinal' },
      }),
    );
    add(
      await upsert(tx, {
        table: 'core.navigator_field',
        key: ['key'],
        runId,
        fullRefresh: true,
        from: ctx.staged('field'),
        columns: ['key', 'name', 'appendix_section'],
        derived: {
          pillar_id: '(select p.id from core.pillar p where p.key = r.pillar_key)',
          position: 'r._ordinal',
        },
      }),
    );
    // Org units: parents resolved after all rows exist (a parent may be listed after its child).
    add(
      await upsert(tx, {
        table: 'core.org_unit',
        key: ['code'],
        runId,
        fullRefresh: true,
        from: ctx.staged('org_unit'),
        columns: ['code', 'name', 'kind'],
        derived: { parent_id: '(select p.id from core.org_unit p where p.code = r.parent_code)' },
        deferDerived: true,
      }),
    );
    add(
      await upsert(tx, {
        table: 'core.checklist_question',
        key: ['key'],
        runId,
        fullRefresh: true,
        from: ctx.staged('checklist_question'),
        columns: ['key', 'position', 'question'],
      }),
    );
    add(
      await upsert(tx, {
        table: 'core.initiative',
        key: ['key'],
        runId,
        fullRefresh: true,
        from: ctx.staged('initiative'),
        columns: [
          'key',
          'title',
          'target_field_raw',
          'responsible_raw',
          'involved_raw',
          'priority',
          'size',
          'size_alternative',
          'prio_size_raw',
          'status',
          'status_raw',
          'focus_points',
          'benefits',
          'focus_points_raw',
          'benefits_raw',
        ],
        derived: {
          source_position: 'r._position',
          field_id: '(select f.id from core.navigator_field f where f.key = r.field_key)',
          responsible_org_unit_id: '(select o.id from core.org_unit o where o.code = r.responsible_codes[1])',
        },
      }),
    );
    add(await mergeDriverProjects(tx, ctx.staged('driver_project'), await ctx.stagedCount('driver_project'), runId));
    // The link table is derived from the cells each time; it carries no counts of its own.
    await tx.query(`delete from core.initiative_org_unit`);
    await tx.query(
      `insert into core.initiative_org_unit (initiative_id, org_unit_id, role)
       select i.id, o.id, l.role
       from ${ctx.staged('initiative')}
       cross join lateral (select unnest(r.responsible_codes) as code, 'responsible' as role
                           union all select unnest(r.involved_codes), 'involved') as l
       join core.initiative i on i.key = r.key join core.org_unit o on o.code = l.code
       on conflict do nothing`,
    );
    add(
      await upsert(tx, {
        table: 'core.project',
        key: ['key'],
        runId,
        fullRefresh: { where: `t.source = 'council-paper'` },
        from: ctx.staged('project'),
        columns: ['key', 'title', 'title_raw', 'goals', 'results', 'goals_raw', 'results_raw', 'status', 'status_raw', 'source'],
        derived: { source_position: 'r._position' },
      }),
    );
    await tx.query(
      `update core.project_status_history h set valid_to = now()
       from core.project p
       where h.project_id = p.id and p.source = 'council-paper' and h.valid_to is null and h.status_raw is distinct from p.status_raw`,
    );
    await tx.query(
      `insert into core.project_status_history (project_id, status, status_raw, valid_from, run_id)
       select p.id, p.status, p.status_raw, now(), $1 from core.project p
       where p.source = 'council-paper' and not exists (
         select 1 from core.project_status_history h
         where h.project_id = p.id and h.valid_to is null)`,
      [runId],
    );
    return counts;
  },
});

/**
 * The Treiberprojekte flag their Vorhaben (core.initiative.is_driver_project); a Vorhaben the file
 * no longer names loses the flag, except from an empty file (a full refresh never clears from an
 * empty input). A key that names no Vorhaben fails the run: the file is maintained by hand.
 */
async function mergeDriverProjects(tx: PoolClient, staged: string, total: number, runId: number): Promise<MergeCounts> {
  const { rows: unknown } = await tx.query<{ key: string }>(
    `select r.key from ${staged} where not exists (select 1 from core.initiative i where i.key = r.key) order by r.key`,
  );
  if (unknown.length > 0) throw new Error(`treiberprojekte.csv: no Vorhaben ${unknown.map((u) => u.key).join(', ')} in initiatives.yaml`);
  const flagged = await tx.query(
    `update core.initiative i set is_driver_project = true, last_run_id = $1
     where not i.is_driver_project and exists (select 1 from ${staged} where r.key = i.key)`,
    [runId],
  );
  if (total > 0) {
    await tx.query(
      `update core.initiative i set is_driver_project = false, last_run_id = $1
       where i.is_driver_project and not exists (select 1 from ${staged} where r.key = i.key)`,
      [runId],
    );
  }
  const loaded = flagged.rowCount ?? 0;
  return { loaded, unchanged: total - loaded, deleted: 0 };
}
