import { ValidationError } from '../errors/index.js';

/**
 * Filters with operators, compiled to parameterised SQL. A spec names, per filterable field, the
 * SQL expression (with `{t}` for the table alias) and its kind; relations filter through EXISTS
 * over another spec. Inputs come from GraphQL input types of the same shape; nothing a client
 * sends ever becomes SQL text — only parameters.
 */
export type ScalarKind = 'string' | 'number' | 'boolean' | 'date';

export interface FilterSpec {
  fields: Record<string, { sql: string; kind: ScalarKind }>;
  relations?: Record<string, { spec: FilterSpec; relation: string; alias: string; join: string }>;
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

export class FilterCompiler {
  private nodes = 0;

  constructor(readonly params: unknown[]) {}

  private param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  private scalar(sql: string, kind: ScalarKind, f: ScalarFilter, path: string): string[] {
    const parts: string[] = [];
    const cast = kind === 'number' ? '::numeric' : kind === 'date' ? '::timestamptz' : kind === 'boolean' ? '::boolean' : '::text';
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
        parts.push(...this.scalar(field.sql.replaceAll('{t}', alias), field.kind, value, here));
      } else if (spec.relations?.[key]) {
        const rel = spec.relations[key];
        const inner = this.compile(value as EntityFilter, rel.spec, rel.alias, here);
        parts.push(`exists (select 1 from ${rel.relation} ${rel.alias} where ${rel.join.replaceAll('{t}', alias)} and (${inner}))`);
      } else {
        throw ValidationError.of(here, 'unknown filter field');
      }
    }
    return parts.length === 0 ? 'true' : parts.join(' and ');
  }
}
