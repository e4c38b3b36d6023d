import { authorizeInput, type AccessContext, type Action } from '../access/policy.js';
import { AppError, ValidationError } from '../errors/index.js';

/**
 * Filters with operators, compiled to parameterised SQL. A spec names, per filterable field, the
 * SQL expression (with `{t}` for the table alias) and its kind; relations filter through EXISTS
 * over another spec. Inputs come from GraphQL input types of the same shape; nothing a client
 * sends ever becomes SQL text — only parameters.
 *
 * A field, relation or map that reads internal data names the `access` action its values need —
 * the same action that guards the field itself — and is refused to viewers without it before any
 * SQL runs: a filter must never let anyone probe values they may not read.
 */
export type ScalarKind = 'string' | 'number' | 'boolean' | 'date' | 'day';

export interface FilterSpec {
  fields: Record<string, { sql: string; kind: ScalarKind; access?: Action }>;
  /** EXISTS over another relation; `join` may use `{t}` (this row) and `alias` (the related row) */
  relations?: Record<string, { spec: FilterSpec; relation: string; alias: string; join: string; access?: Action }>;
  /** text values under a key of a jsonb column (`sql`), filtered by a list of `{ name, ...operators }` */
  maps?: Record<string, { sql: string; access?: Action }>;
}

export interface ScalarFilter {
  eq?: unknown;
  ne?: unknown;
  in?: unknown[] | null;
  notIn?: unknown[] | null;
  lt?: unknown;
  lte?: unknown;
  gt?: unknown;
  gte?: unknown;
  /** substring, case-sensitive */
  contains?: string | null;
  /** substring, ignoring case and accents (ä = a) */
  icontains?: string | null;
  startsWith?: string | null;
  isNull?: boolean | null;
}

export type EntityFilter = {
  and?: EntityFilter[] | null;
  or?: EntityFilter[] | null;
  not?: EntityFilter | null;
} & Record<string, unknown>;

const MAX_NODES = 200;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function isDay(v: unknown): boolean {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export class FilterCompiler {
  private nodes = 0;
  private aliases = 0;

  /**
   * @param access who filters; without it, fields that name an `access` action are refused
   */
  constructor(
    readonly params: unknown[],
    private readonly access?: AccessContext,
  ) {}

  private allow(action: Action | undefined, path: string): void {
    if (action === undefined) return;
    if (!this.access) throw new AppError('FORBIDDEN', `${path}: not filterable here`, { input: path });
    authorizeInput(this.access, action, path);
  }

  private param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  private scalar(sql: string, kind: ScalarKind, f: ScalarFilter, path: string): string[] {
    const parts: string[] = [];
    const cast = { number: '::numeric', date: '::timestamptz', day: '::date', boolean: '::boolean', string: '::text' }[kind];
    if (kind === 'day') {
      const values = [f.eq, f.ne, f.lt, f.lte, f.gt, f.gte, ...(f.in ?? []), ...(f.notIn ?? [])];
      if (values.some((v) => v !== undefined && v !== null && !isDay(v))) throw ValidationError.of(path, 'dates are written YYYY-MM-DD');
    }
    const p = (v: unknown) => `${this.param(v)}${cast}`;
    if (f.eq !== undefined && f.eq !== null) parts.push(`${sql} = ${p(f.eq)}`);
    if (f.ne !== undefined && f.ne !== null) parts.push(`${sql} is distinct from ${p(f.ne)}`);
    if (f.in) parts.push(`${sql} = any(${this.param(f.in)}${cast}[])`);
    if (f.notIn) parts.push(`not (${sql} = any(${this.param(f.notIn)}${cast}[]))`);
    for (const [op, sym] of [
      ['lt', '<'],
      ['lte', '<='],
      ['gt', '>'],
      ['gte', '>='],
    ] as const) {
      const v = f[op];
      if (v !== undefined && v !== null) parts.push(`${sql} ${sym} ${p(v)}`);
    }
    if (f.contains || f.icontains || f.startsWith) {
      if (kind !== 'string') throw ValidationError.of(path, 'text operators apply to text fields only');
      if (f.contains) parts.push(`${sql} like ${this.param(`%${likeEscape(f.contains)}%`)}`);
      if (f.icontains)
        parts.push(`core.immutable_unaccent(${sql}) ilike core.immutable_unaccent(${this.param(`%${likeEscape(f.icontains)}%`)})`);
      if (f.startsWith) parts.push(`${sql} like ${this.param(`${likeEscape(f.startsWith)}%`)}`);
    }
    if (f.isNull !== undefined && f.isNull !== null) parts.push(f.isNull ? `${sql} is null` : `${sql} is not null`);
    return parts;
  }

  /** Compiles a filter over `spec` for rows aliased `alias`; empty filter → 'true'. */
  compile(filter: EntityFilter | null | undefined, spec: FilterSpec, alias: string, path = 'filter'): string {
    if (!filter) return 'true';
    if (++this.nodes > MAX_NODES) throw ValidationError.of(path, `filter too large (more than ${MAX_NODES} conditions)`);
    const parts: string[] = [];
    for (const [key, value] of Object.entries(filter)) {
      if (value === undefined || value === null) continue;
      const here = `${path}.${key}`;
      if (key === 'and' || key === 'or') {
        const list = (value as EntityFilter[]).map((f, i) => `(${this.compile(f, spec, alias, `${here}[${i}]`)})`);
        if (list.length > 0) parts.push(`(${list.join(key === 'and' ? ' and ' : ' or ')})`);
      } else if (key === 'not') {
        parts.push(`not (${this.compile(value as EntityFilter, spec, alias, here)})`);
      } else if (spec.fields[key]) {
        const field = spec.fields[key];
        this.allow(field.access, here);
        parts.push(...this.scalar(field.sql.replaceAll('{t}', alias), field.kind, value, here));
      } else if (spec.relations?.[key]) {
        const rel = spec.relations[key];
        this.allow(rel.access, here);
        // a fresh alias per use: a relation nested in itself (parent.parent) must not shadow the outer row
        const own = `${rel.alias}_${++this.aliases}`;
        const join = rel.join.replace(new RegExp(`\\b${rel.alias}\\.`, 'g'), `${own}.`).replaceAll('{t}', alias);
        const inner = this.compile(value as EntityFilter, rel.spec, own, here);
        parts.push(`exists (select 1 from ${rel.relation} ${own} where ${join} and (${inner}))`);
      } else if (spec.maps?.[key]) {
        const map = spec.maps[key];
        this.allow(map.access, here);
        for (const [i, entry] of (value as (ScalarFilter & { name: string })[]).entries()) {
          const { name, ...ops } = entry;
          const expr = `(${map.sql.replaceAll('{t}', alias)} ->> ${this.param(name)}::text)`;
          parts.push(...this.scalar(expr, 'string', ops, `${here}[${i}]`));
        }
      } else {
        throw ValidationError.of(here, 'unknown filter field');
      }
    }
    return parts.length === 0 ? 'true' : parts.join(' and ');
  }
}
