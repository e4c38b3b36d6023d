import { join, resolve } from 'node:path';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import { defineConnector, type MergeCounts, type RawRecord, type ValidRecord } from '../connector.js';
import { readCsvRecords, readYamlListRecords } from '../read-table.js';
import { normalizeStatus, parsePrioSize, responsibleCodes, orgUnitCodes, splitBullets, splitParagraphs, stripHtml } from './cells.js';
import { upsert } from '../../pipeline/upsert.js';

// ── schemas: what a valid row of each file is ──

const text = z.string().trim();
const optionalText = z.string().trim().default('');

const pillar = z.object({ key: text.min(1), name: text.min(1), description: optionalText });
const field = z.object({
  key: text.min(1),
  name: text.min(1),
  appendix_section: optionalText,
  pillar_key: optionalText,
});
const orgUnit = z.object({
  code: text.regex(/^[a-z0-9_.]+$/, 'code: digits with dots (06.3) or a lower-case slug'),
  name: text.min(1),
  parent_code: optionalText,
});
const checklistQuestion = z.object({
  position: z.coerce.number().int().min(1).max(9),
  key: text.regex(/^[a-z_]+$/),
  question: text.min(1),
});
const initiative = z.object({
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
});
const project = z.object({
  key: text.regex(/^[A-Z]\d{3}\/\d{2}$/, 'key: a letter, three digits, slash, two digits (P001/19)'),
  title: text.min(1),
  title_raw: z.string().default(''),
  goals_raw: z.string().default(''),
  results_raw: z.string().default(''),
  status_raw: z.string().default(''),
});

const schemas = { pillar, field, org_unit: orgUnit, checklist_question: checklistQuestion, initiative, project };

export const strategyConfig = z.object({
  /** Directory holding pillars.csv, navigator_fields.csv, org_units.csv, ozg_checklist.csv, initiatives.yaml, projects.yaml */
  path: z.string().min(1),
});
export type StrategyConfig = z.infer<typeof strategyConfig>;

const files: [string, keyof typeof schemas, 'csv' | 'yaml'][] = [
  ['pillars.csv', 'pillar', 'csv'],
  ['navigator_fields.csv', 'field', 'csv'],
  ['org_units.csv', 'org_unit', 'csv'],
  ['ozg_checklist.csv', 'checklist_question', 'csv'],
  ['initiatives.yaml', 'initiative', 'yaml'],
  ['projects.yaml', 'project', 'yaml'],
];

function byEntity<K extends keyof typeof schemas>(
  records: ValidRecord[],
  entity: K,
): { value: z.infer<(typeof schemas)[K]>; position: string }[] {
  return records.filter((r) => r.entity === entity).map((r) => ({ value: r.value as z.infer<(typeof schemas)[K]>, position: r.position }));
}

function orgKind(code: string): 'amt' | 'unit' | 'office' {
  if (/^\d{2}$/.test(code)) return 'amt';
  if (/^\d{2}\.\d+$/.test(code)) return 'unit';
  return 'office';
}

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
  schemas,
  async *extract(config, ctx): AsyncIterable<RawRecord> {
    const dir = resolve(ctx.baseDir, config.path);
    for (const [file, entity, format] of files) {
      const path = join(dir, file);
      yield* format === 'csv' ? readCsvRecords(path, entity) : readYamlListRecords(path, entity);
    }
  },
  async merge(tx: PoolClient, records, ctx): Promise<MergeCounts> {
    const { runId } = ctx;
    const counts: MergeCounts = { loaded: 0, unchanged: 0, deleted: 0 };
    const add = (c: MergeCounts) => {
      counts.loaded += c.loaded;
      counts.unchanged += c.unchanged;
      counts.deleted += c.deleted;
    };

    const pillars = byEntity(records, 'pillar');
    add(
      await upsert(tx, {
        table: 'core.pillar',
        key: ['key'],
        runId,
        fullRefresh: true,
        columns: { key: 'text', name: 'text', description: 'text', position: 'smallint' },
        rows: pillars.map(({ value }, i) => ({ ...value, position: i + 1 })),
      }),
    );

    const fields = byEntity(records, 'field');
    add(
      await upsert(tx, {
        table: 'core.navigator_field',
        key: ['key'],
        runId,
        fullRefresh: true,
        columns: { key: 'text', name: 'text', appendix_section: 'text', position: 'smallint', pillar_key: 'text' },
        derived: { pillar_id: '(select p.id from core.pillar p where p.key = r.pillar_key)' },
        rows: fields.map(({ value }, i) => ({ ...value, position: i + 1 })),
      }),
    );

    // Org units: first without parents (a parent may be listed after its child), then the tree.
    const units = byEntity(records, 'org_unit').map(({ value }) => ({ ...value, kind: orgKind(value.code) }));
    add(
      await upsert(tx, {
        table: 'core.org_unit',
        key: ['code'],
        runId,
        fullRefresh: true,
        columns: { code: 'text', name: 'text', kind: 'text', parent_code: 'text' },
        derived: { parent_id: '(select p.id from core.org_unit p where p.code = r.parent_code)' },
        rows: units,
        deferDerived: true,
      }),
    );

    add(
      await upsert(tx, {
        table: 'core.checklist_question',
        key: ['key'],
        runId,
        fullRefresh: true,
        columns: { key: 'text', position: 'smallint', question: 'text' },
        rows: byEntity(records, 'checklist_question').map(({ value }) => value),
      }),
    );

    const initiatives = byEntity(records, 'initiative').map(({ value, position }) => {
      const prio = parsePrioSize(value.prio_size_raw);
      return {
        key: value.key,
        title: stripHtml(value.title),
        field_key: value.field,
        target_field_raw: value.target_field_raw,
        responsible_raw: value.responsible_raw,
        responsible_code: responsibleCodes(value.responsible_raw)[0] ?? null,
        involved_raw: value.involved_raw,
        priority: prio.priority,
        size: prio.size,
        size_alternative: prio.sizeAlternative,
        prio_size_raw: value.prio_size_raw,
        status: normalizeStatus(value.status_raw),
        status_raw: value.status_raw,
        focus_points: splitBullets(value.focus_points_raw, '•'),
        benefits: splitBullets(value.benefits_raw, '+'),
        focus_points_raw: value.focus_points_raw,
        benefits_raw: value.benefits_raw,
        source_position: position,
      };
    });
    add(
      await upsert(tx, {
        table: 'core.initiative',
        key: ['key'],
        runId,
        fullRefresh: true,
        columns: {
          key: 'text',
          title: 'text',
          field_key: 'text',
          target_field_raw: 'text',
          responsible_raw: 'text',
          responsible_code: 'text',
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
          source_position: 'text',
        },
        derived: {
          field_id: '(select f.id from core.navigator_field f where f.key = r.field_key)',
          responsible_org_unit_id: '(select o.id from core.org_unit o where o.code = r.responsible_code)',
        },
        rows: initiatives,
      }),
    );
    // The link table is derived from the cells each time; it carries no counts of its own.
    const links = byEntity(records, 'initiative').flatMap(({ value }) => [
      ...responsibleCodes(value.responsible_raw).map((code) => ({ key: value.key, code, role: 'responsible' })),
      ...orgUnitCodes(value.involved_raw).map((code) => ({ key: value.key, code, role: 'involved' })),
    ]);
    await tx.query(`delete from core.initiative_org_unit`);
    await tx.query(
      `insert into core.initiative_org_unit (initiative_id, org_unit_id, role)
       select i.id, o.id, r.role from jsonb_to_recordset($1::jsonb) as r(key text, code text, role text)
       join core.initiative i on i.key = r.key join core.org_unit o on o.code = r.code
       on conflict do nothing`,
      [JSON.stringify(links)],
    );

    const projects = byEntity(records, 'project').map(({ value, position }) => ({
      key: value.key,
      title: stripHtml(value.title),
      title_raw: value.title_raw,
      goals: splitParagraphs(value.goals_raw),
      results: splitParagraphs(value.results_raw),
      goals_raw: value.goals_raw,
      results_raw: value.results_raw,
      status: normalizeStatus(value.status_raw),
      status_raw: value.status_raw,
      source: 'council-paper',
      source_position: position,
    }));
    add(
      await upsert(tx, {
        table: 'core.project',
        key: ['key'],
        runId,
        fullRefresh: { where: `source = 'council-paper'` },
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
          source_position: 'text',
        },
        rows: projects,
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
