// What a valid row of each catalog file is, and what of it gets staged. Rows that fail go to the
// quarantine with a stable code (params.reasonCode) and a message naming the column and value.
import { z } from 'zod';
import type { EntitySpec } from '../connector.js';
import {
  collapse,
  description,
  implementationStatus,
  isOzgId,
  leikaServiceKey,
  legalBasis,
  NOT_IN_LEIKA,
  optional,
  serviceRef,
} from './cells.js';

/** A cell as csv-parse delivers it; absent (only under the `evolve` drift policy) reads as empty. */
const cell = z.string().default('');

function fail(ctx: z.RefinementCtx, column: string, message: string, reasonCode = 'ROW_INVALID_VALUE'): void {
  ctx.addIssue({ code: 'custom', path: [column], message, params: { reasonCode } });
}

function requireText(ctx: z.RefinementCtx, column: string, value: string): void {
  if (collapse(value) === '') fail(ctx, column, 'empty', 'ROW_MISSING_VALUE');
}

function requireId(ctx: z.RefinementCtx, column: string, value: string): void {
  if (!/^\d+$/.test(value.trim())) fail(ctx, column, `"${value}" is not a numeric id`);
}

function checkOzgId(ctx: z.RefinementCtx, column: string, value: string, optionalId: boolean): void {
  const v = value.trim();
  if (v === '' && optionalId) return;
  if (!isOzgId(v)) fail(ctx, column, `"${value}" is not a 5-digit OZG id`, 'ROW_BAD_OZG_ID');
}

const code = z
  .object({ liste: cell, id: cell, level: cell, name: cell })
  .superRefine((r, ctx) => {
    if (!/^[a-z_]+$/.test(r.liste.trim())) fail(ctx, 'liste', `"${r.liste}" is not a code list name`);
    if (r.id.trim() === '') fail(ctx, 'id', 'empty', 'ROW_MISSING_VALUE');
    if (!/^(-?\d+)?$/.test(r.level.trim())) fail(ctx, 'level', `"${r.level}" is not a whole number`);
    requireText(ctx, 'name', r.name);
  })
  .transform((r) => ({
    list: r.liste.trim(),
    code: r.id.trim(),
    level: r.level.trim() === '' ? null : Number(r.level.trim()),
    name: collapse(r.name),
  }));

const themenfeld = z
  .object({ themenfeld_id: cell, themenfeld: cell })
  .superRefine((r, ctx) => {
    requireId(ctx, 'themenfeld_id', r.themenfeld_id);
    requireText(ctx, 'themenfeld', r.themenfeld);
  })
  // "Querschnitt " keeps a trailing space in the source; names are compared collapsed.
  .transform((r) => ({ key: `themenfeld:${r.themenfeld_id.trim()}`, name: collapse(r.themenfeld) }));

const lebenslage = z
  .object({ lebenslage_id: cell, lebenslage: cell, themenfeld_id: cell, themenfeld: cell })
  .superRefine((r, ctx) => {
    requireId(ctx, 'lebenslage_id', r.lebenslage_id);
    requireText(ctx, 'lebenslage', r.lebenslage);
    if (r.themenfeld_id.trim() !== '') requireId(ctx, 'themenfeld_id', r.themenfeld_id);
  })
  .transform((r) => ({
    key: `lebenslage:${r.lebenslage_id.trim()}`,
    name: collapse(r.lebenslage),
    parent_key: r.themenfeld_id.trim() === '' ? null : `themenfeld:${r.themenfeld_id.trim()}`,
  }));

const ozgService = z
  .object({ ozg_id: cell, ozg_leistung: cell, lebenslage: cell, themenfeld: cell, status: cell, beschreibung: cell })
  .superRefine((r, ctx) => {
    checkOzgId(ctx, 'ozg_id', r.ozg_id, false);
    requireText(ctx, 'ozg_leistung', r.ozg_leistung);
  })
  .transform((r) => ({
    key: `ozg:${r.ozg_id.trim()}`,
    ozg_id: r.ozg_id.trim(),
    title: collapse(r.ozg_leistung),
    description: description(r.beschreibung),
    lebenslage: collapse(r.lebenslage),
    themenfeld: collapse(r.themenfeld),
    implementation_status: implementationStatus(r.status),
    implementation_status_raw: optional(r.status),
  }));

const leikaService = z
  .object({
    leika_leistungsschluessel: cell,
    leistung: cell,
    leika_typ: cell,
    ozg_id: cell,
    lebenslage: cell,
    themenfeld: cell,
    rechtsgrundlage: cell,
    gesetze: cell,
    gesetz_kuerzel: cell,
    status: cell,
  })
  .superRefine((r, ctx) => {
    if (leikaServiceKey(r.leika_leistungsschluessel, r.ozg_id, r.leistung) === null) {
      const digits = r.leika_leistungsschluessel.replace(/\D/g, '').length;
      fail(
        ctx,
        'leika_leistungsschluessel',
        `"${r.leika_leistungsschluessel}" is neither a 14-digit LeiKa key (it has ${digits} digits) nor "${NOT_IN_LEIKA}"`,
        'ROW_BAD_LEIKA_KEY',
      );
    }
    checkOzgId(ctx, 'ozg_id', r.ozg_id, true);
    requireText(ctx, 'leistung', r.leistung);
  })
  .transform((r) => {
    const key = leikaServiceKey(r.leika_leistungsschluessel, r.ozg_id, r.leistung) ?? '';
    const basis = legalBasis(r.rechtsgrundlage);
    return {
      key,
      leika_key: key.startsWith('leika:') ? r.leika_leistungsschluessel.trim() : null,
      ozg_id: optional(r.ozg_id),
      title: collapse(r.leistung),
      leika_type: optional(r.leika_typ),
      legal_basis: basis.text,
      legal_basis_urls: basis.urls,
      law_name: optional(r.gesetze),
      law_abbreviation: optional(r.gesetz_kuerzel),
      lebenslage: collapse(r.lebenslage),
      themenfeld: collapse(r.themenfeld),
      implementation_status: implementationStatus(r.status),
      implementation_status_raw: optional(r.status),
    };
  });

/** "2026-06-30" or "30.06.2026", a real calendar day; "" is no date. */
function parseDate(raw: string): string | null | undefined {
  const v = raw.trim();
  if (v === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(v);
  if (!m) return undefined;
  const [y, mo, d] = v.includes('-') ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
  const iso = `${y}-${mo}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

const maxLevel: Record<string, number> = { '1.1': 4, '2.0': 7 };

const maturity = z
  .object({ leistung: cell, modell: cell, art: cell, reifegrad: cell, zieldatum: cell })
  .superRefine((r, ctx) => {
    if (serviceRef(r.leistung) === null) {
      fail(ctx, 'leistung', `"${r.leistung}" is neither a 5-digit OZG id, a 14-digit LeiKa key nor a service key`);
    }
    const model = r.modell.trim();
    const max = maxLevel[model];
    if (max === undefined) fail(ctx, 'modell', `"${r.modell}" is not a maturity model (1.1 or 2.0)`);
    const kind = r.art.trim().toLowerCase();
    if (kind !== 'ist' && kind !== 'soll') fail(ctx, 'art', `"${r.art}" is neither IST nor SOLL`);
    if (!/^\d$/.test(r.reifegrad.trim()) || (max !== undefined && Number(r.reifegrad) > max)) {
      fail(ctx, 'reifegrad', `"${r.reifegrad}" is not a level of model ${model} (0–${max ?? '?'})`);
    }
    const date = parseDate(r.zieldatum);
    if (date === undefined) fail(ctx, 'zieldatum', `"${r.zieldatum}" is not a date (2026-06-30 or 30.06.2026)`);
    else if (date !== null && kind === 'ist') fail(ctx, 'zieldatum', `"${r.zieldatum}": an IST level has no target date`);
  })
  .transform((r) => ({
    service_key: serviceRef(r.leistung) ?? '',
    model: r.modell.trim(),
    kind: r.art.trim().toLowerCase(),
    level: Number(r.reifegrad.trim()),
    target_date: parseDate(r.zieldatum) ?? null,
  }));

/** Raw header of each file, as the KDN export (and the maturity template) names the columns. */
export const headers = {
  code: ['liste', 'id', 'level', 'name'],
  themenfeld: ['themenfeld_id', 'themenfeld'],
  lebenslage: ['lebenslage_id', 'lebenslage', 'themenfeld_id', 'themenfeld'],
  ozg_service: [
    'db_id',
    'ozg_id',
    'ozg_leistung',
    'lebenslage',
    'themenfeld',
    'prioritaet',
    'status',
    'beschreibung',
    'modified_at',
    'created_at',
  ],
  leika_service: [
    'db_id',
    'leika_leistungsschluessel',
    'leistung',
    'leika_typ',
    'ozg_id',
    'ozg_leistung',
    'lebenslage',
    'themenfeld',
    'rechtsgrundlage',
    'gesetze',
    'gesetz_kuerzel',
    'relevanz_1',
    'relevanz_2',
    'status',
    'modified_at',
    'created_at',
  ],
  maturity: ['leistung', 'modell', 'art', 'reifegrad', 'zieldatum'],
} as const;

const serviceColumns = {
  key: 'text',
  title: 'text',
  lebenslage: 'text',
  themenfeld: 'text',
  implementation_status: 'text',
  implementation_status_raw: 'text',
} as const;

export const entities = {
  code: {
    schema: code,
    key: ['list', 'code'],
    expectedFields: headers.code,
    columns: { list: 'text', code: 'text', level: 'smallint', name: 'text' },
  },
  themenfeld: { schema: themenfeld, key: ['key'], expectedFields: headers.themenfeld, columns: { key: 'text', name: 'text' } },
  lebenslage: {
    schema: lebenslage,
    key: ['key'],
    expectedFields: headers.lebenslage,
    columns: { key: 'text', name: 'text', parent_key: 'text' },
  },
  ozg_service: {
    schema: ozgService,
    key: ['key'],
    expectedFields: headers.ozg_service,
    columns: { ...serviceColumns, ozg_id: 'text', description: 'text' },
  },
  leika_service: {
    schema: leikaService,
    key: ['key'],
    expectedFields: headers.leika_service,
    columns: {
      ...serviceColumns,
      leika_key: 'text',
      ozg_id: 'text',
      leika_type: 'text',
      legal_basis: 'text',
      legal_basis_urls: 'text[]',
      law_name: 'text',
      law_abbreviation: 'text',
    },
  },
  maturity: {
    schema: maturity,
    key: ['service_key', 'model', 'kind'],
    expectedFields: headers.maturity,
    columns: { service_key: 'text', model: 'text', kind: 'text', level: 'smallint', target_date: 'date' },
  },
} satisfies Record<string, EntitySpec>;

export type OzgEntity = keyof typeof entities;
