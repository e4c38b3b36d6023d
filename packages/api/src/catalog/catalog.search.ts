import { authorize, can, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { ValidationError } from '../errors/index.js';
import { datasetJson, type DatasetRecord } from './catalog.record.js';

/**
 * Dataset search on PostgreSQL with the semantics of CKAN's package_search on Solr: clauses over
 * the fields CKAN indexes, German full text (with unaccent) over a weighted document, relevance,
 * facet counts, and a trigram fallback on names and titles when the words find nothing. The
 * query language (Solr's) is parsed by the transport; this module takes the parsed clauses.
 */

/** Fields matched exactly (Solr string fields): the value as stored, `*` and `?` as wildcards. */
export type TermField =
  | 'name'
  | 'id'
  | 'tags'
  | 'groups'
  | 'organization'
  | 'owner_org'
  | 'res_format'
  | 'license_id'
  | 'state'
  | 'capacity'
  | 'type'
  | 'dataset_type'
  | 'entity_type'
  | 'site_id';
/** Fields matched by words (Solr text fields): German stemming, accents ignored. */
export type TextField = 'text' | 'title' | 'notes' | 'res_name' | 'res_description';
export type RangeField = 'metadata_modified' | 'metadata_created' | 'num_resources' | 'num_tags';

export const termFields: readonly TermField[] = [
  'name',
  'id',
  'tags',
  'groups',
  'organization',
  'owner_org',
  'res_format',
  'license_id',
  'state',
  'capacity',
  'type',
  'dataset_type',
  'entity_type',
  'site_id',
];
export const textFields: readonly TextField[] = ['text', 'title', 'notes', 'res_name', 'res_description'];
export const rangeFields: readonly RangeField[] = ['metadata_modified', 'metadata_created', 'num_resources', 'num_tags'];

export type SearchClause =
  | { op: 'all' }
  | { op: 'none' }
  /** wildcard: `*` and `?` in the value match any characters / one character */
  | { op: 'term'; field: TermField; value: string; wildcard?: boolean }
  /** words: all must occur; phrase: in this order; prefix: the last word may continue; web: free text with "…", or, - */
  | { op: 'text'; field: TextField; value: string; mode: 'words' | 'phrase' | 'prefix' | 'web' }
  /** bounds as text (ISO timestamps for dates, integers for counts); null: open */
  | { op: 'range'; field: RangeField; from: string | null; to: string | null; fromInclusive: boolean; toInclusive: boolean }
  | { op: 'and' | 'or'; clauses: SearchClause[] }
  | { op: 'not'; clause: SearchClause }
  /** a name or title resembling the words (pg_trgm word similarity above its threshold) */
  | { op: 'similar'; value: string };

export type SortField =
  'score' | 'name' | 'title_string' | 'metadata_modified' | 'metadata_created' | 'num_resources' | 'num_tags' | 'id' | 'license_id';
export const sortFields: readonly SortField[] = [
  'score',
  'name',
  'title_string',
  'metadata_modified',
  'metadata_created',
  'num_resources',
  'num_tags',
  'id',
  'license_id',
];

/** Facets we can count; any other field is a facet without values (as Solr's catch-all field). */
export type FacetField = 'tags' | 'groups' | 'organization' | 'owner_org' | 'res_format' | 'license_id' | 'type';
export const facetFields: readonly FacetField[] = ['tags', 'groups', 'organization', 'owner_org', 'res_format', 'license_id', 'type'];

export interface DatasetSearch {
  /** the query (CKAN's q) */
  query: SearchClause;
  /** filters (fq, fq_list), all of which must hold */
  filters: SearchClause[];
  /** free words of the query, for relevance and the trigram fallback; null: none */
  rankText: string | null;
  /** the query is only free words: when they find nothing, look for similar names and titles */
  fallback: boolean;
  /** include internal (private) datasets — honoured only for viewers who may read them */
  includePrivate: boolean;
  sort: { field: SortField; dir: 'asc' | 'desc' }[];
  rows: number;
  start: number;
  /** fields to count values of; limit < 0: all values */
  facets: { fields: string[]; limit: number; mincount: number };
}

export interface FacetValue {
  name: string;
  /** a title for groups, organizations and licences; else the name */
  displayName: string;
  count: number;
}

export interface DatasetSearchResult {
  count: number;
  results: DatasetRecord[];
  facets: Record<string, FacetValue[]>;
  /** whether the results come from the trigram fallback */
  fuzzy: boolean;
}

/** Collects bind parameters while SQL text is built. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const unaccented = (p: string) => `core.immutable_unaccent(${p})`;

/** A Solr wildcard value as a LIKE pattern (`*` any, `?` one character, everything else literal). */
function likePattern(value: string): string {
  return value
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

/** `= value`, or `like pattern` for wildcards; `*` alone: any value. */
function matchValue(column: string, term: { value: string; wildcard?: boolean }, p: Params): string {
  if (!term.wildcard || !/[*?]/.test(term.value)) return `${column} = ${p.add(term.value)}`;
  if (term.value === '*') return `${column} is not null`;
  return `${column} like ${p.add(likePattern(term.value))}`;
}

/** A multi-valued field (an array column kept by triggers): containment, which its GIN index answers. */
function arrayMatch(column: string, term: { value: string; wildcard?: boolean }, p: Params): string {
  if (!term.wildcard || !/[*?]/.test(term.value)) return `${column} @> array[${p.add(term.value)}::text]`;
  if (term.value === '*') return `cardinality(${column}) > 0`;
  return `exists (select 1 from unnest(${column}) v where v like ${p.add(likePattern(term.value))})`;
}

function termSql(term: Extract<SearchClause, { op: 'term' }>, p: Params): string {
  const { field } = term;
  const value = term.wildcard && term.value === '*' ? '*' : term.value;
  const match = (column: string) => matchValue(column, term, p);
  switch (field) {
    case 'name':
      return match('d.name');
    case 'id':
      return match('d.id::text');
    case 'owner_org':
      return match('d.organization_id::text');
    case 'license_id':
      return match('d.license_id');
    case 'state':
      return match('d.state');
    case 'tags':
      return arrayMatch('d.tag_names', term, p);
    case 'groups':
      return arrayMatch('d.group_names', term, p);
    case 'organization':
      return `exists (select 1 from catalog.organization o where o.id = d.organization_id and ${match('o.name')})`;
    case 'res_format':
      return arrayMatch('d.res_formats', term, p);
    case 'capacity':
      if (value === 'public') return 'not d.private';
      if (value === 'private') return 'd.private';
      return value === '*' ? 'true' : 'false';
    // one site, one kind of entity, one dataset type
    case 'type':
    case 'dataset_type':
      return value === 'dataset' || value === '*' ? 'true' : 'false';
    case 'entity_type':
      return value === 'package' || value === '*' ? 'true' : 'false';
    case 'site_id':
      return 'true';
  }
}

/** A tsquery for words of a value; prefix: each word may continue (Solr's `word*`). */
function tsquery(value: string, mode: 'words' | 'phrase' | 'prefix' | 'web', p: Params): string {
  switch (mode) {
    case 'words':
      return `plainto_tsquery('german', ${unaccented(p.add(value))})`;
    case 'phrase':
      return `phraseto_tsquery('german', ${unaccented(p.add(value))})`;
    case 'web':
      return `websearch_to_tsquery('german', ${unaccented(p.add(value))})`;
    case 'prefix': {
      // lexemes of the words (stemmed as the document), each continued by :*
      const words = value.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
      if (words.length === 0) return `''::tsquery`;
      return `to_tsquery('german', ${unaccented(p.add(words.map((w) => `${w}:*`).join(' & ')))})`;
    }
  }
}

function textSql(field: TextField, value: string, mode: 'words' | 'phrase' | 'prefix' | 'web', p: Params): string {
  const q = tsquery(value, mode, p);
  const document = (column: string) => `to_tsvector('german', ${unaccented(column)})`;
  switch (field) {
    case 'text':
      return `d.search_vector @@ ${q}`;
    case 'title':
      return `${document('d.title')} @@ ${q}`;
    case 'notes':
      return `${document('d.notes')} @@ ${q}`;
    case 'res_name':
      return `exists (select 1 from catalog.resource r where r.dataset_id = d.id and ${document('r.name')} @@ ${q})`;
    case 'res_description':
      return `exists (select 1 from catalog.resource r where r.dataset_id = d.id and ${document('r.description')} @@ ${q})`;
  }
}

const countOf = {
  num_resources: '(select count(*) from catalog.resource r where r.dataset_id = d.id)',
  num_tags: 'cardinality(d.tag_names)',
};

function rangeSql(c: Extract<SearchClause, { op: 'range' }>, p: Params): string {
  const column = c.field === 'num_resources' || c.field === 'num_tags' ? countOf[c.field] : `d.${c.field}`;
  const cast = c.field === 'num_resources' || c.field === 'num_tags' ? 'bigint' : 'timestamptz';
  const parts: string[] = [];
  if (c.from !== null) parts.push(`${column} ${c.fromInclusive ? '>=' : '>'} ${p.add(c.from)}::${cast}`);
  if (c.to !== null) parts.push(`${column} ${c.toInclusive ? '<=' : '<'} ${p.add(c.to)}::${cast}`);
  return parts.length === 0 ? 'true' : `(${parts.join(' and ')})`;
}

/** A clause as a boolean SQL expression over `d` (catalog.dataset). */
function clauseSql(c: SearchClause, p: Params): string {
  switch (c.op) {
    case 'all':
      return 'true';
    case 'none':
      return 'false';
    case 'term':
      return termSql(c, p);
    case 'text':
      return textSql(c.field, c.value, c.mode, p);
    case 'range':
      return rangeSql(c, p);
    case 'and':
      return c.clauses.length === 0 ? 'true' : `(${c.clauses.map((x) => clauseSql(x, p)).join(' and ')})`;
    case 'or':
      return c.clauses.length === 0 ? 'false' : `(${c.clauses.map((x) => clauseSql(x, p)).join(' or ')})`;
    case 'not':
      return `not coalesce(${clauseSql(c.clause, p)}, false)`;
    case 'similar': {
      // the trigram indexes answer `words <% column`
      const value = p.add(c.value);
      return `(${unaccented(value)} <% ${unaccented('d.title')} or ${value} <% d.name)`;
    }
  }
}

/** Sort keys over `m`, a matched row (see the columns of `matched` below). */
const sortColumn: Record<SortField, string> = {
  score: 'm.score',
  name: 'm.name collate "C"',
  title_string: 'm.title collate "C"',
  metadata_modified: 'm.metadata_modified',
  metadata_created: 'm.metadata_created',
  num_resources: '(select count(*) from catalog.resource r where r.dataset_id = m.id)',
  num_tags: 'cardinality(m.tag_names)',
  id: 'm.id',
  license_id: 'm.license_id',
};

/** What a search keeps of each matching dataset: enough to sort and to count facets without rereading it. */
const matchedColumns = `d.id, d.name, d.title, d.metadata_modified, d.metadata_created, d.license_id, d.organization_id,
  d.tag_names, d.group_names, d.res_formats`;

/** Facet values of the datasets in `base` (matched or visible rows): value, display name, dataset. */
const facetPairs: Record<FacetField, (base: string) => string> = {
  tags: (base) => `select v as value, v as display, b.id from ${base} b cross join unnest(b.tag_names) v`,
  groups: (base) => `select v as value, coalesce(g.title, v) as display, b.id from ${base} b cross join unnest(b.group_names) v
    left join catalog."group" g on g.name = v`,
  organization: (base) =>
    `select o.name as value, o.title as display, b.id from ${base} b join catalog.organization o on o.id = b.organization_id`,
  owner_org: (base) => `select b.organization_id::text as value, b.organization_id::text as display, b.id from ${base} b
    where b.organization_id is not null`,
  res_format: (base) => `select v as value, v as display, b.id from ${base} b cross join unnest(b.res_formats) v`,
  license_id: (base) => `select b.license_id as value, coalesce(l.title, b.license_id) as display, b.id from ${base} b
    left join catalog.license l on l.id = b.license_id where b.license_id is not null`,
  type: (base) => `select 'dataset' as value, 'dataset' as display, b.id from ${base} b`,
};

function facetSql(field: FacetField, facets: DatasetSearch['facets'], p: Params): string {
  const limit = facets.limit < 0 ? '' : `limit ${p.add(facets.limit)}`;
  // mincount 0 lists every value of the visible datasets, with 0 where no match has it (as Solr)
  const inner =
    facets.mincount === 0
      ? `select f.value, min(f.display) as display, count(*) filter (where f.id in (select id from matched)) as n
         from (${facetPairs[field]('visible')}) f group by f.value`
      : `select f.value, min(f.display) as display, count(*) as n
         from (${facetPairs[field]('matched')}) f group by f.value having count(*) >= ${p.add(facets.mincount)}`;
  return `(select coalesce(json_agg(json_build_array(x.value, x.display, x.n) order by x.n desc, x.value collate "C"), '[]')
    from (${inner} order by n desc, value collate "C" ${limit}) x)`;
}

interface SearchRow {
  count: string;
  results: DatasetRecord[];
  facets: Record<string, [string, string, string][]>;
}

/** Which datasets a search may see: active ones; internal ones only when asked and allowed. */
function visibility(ctx: DomainContext, includePrivate: boolean): string {
  authorize(ctx, 'catalog.read');
  return includePrivate && can(ctx.viewer, 'catalog.read_private') ? `d.state = 'active'` : `d.state = 'active' and not d.private`;
}

async function run(ctx: DomainContext, spec: DatasetSearch, query: SearchClause, fuzzy: boolean): Promise<DatasetSearchResult> {
  const p = new Params();
  const visible = visibility(ctx, spec.includePrivate);
  const where = [visible, clauseSql(query, p), ...spec.filters.map((f) => clauseSql(f, p))].join(' and ');
  let score = '0::real';
  if (fuzzy && spec.rankText) {
    const text = p.add(spec.rankText);
    score = `greatest(word_similarity(${unaccented(text)}, ${unaccented('d.title')}), word_similarity(${text}, d.name))`;
  } else if (spec.rankText) {
    score = `ts_rank(d.search_vector, websearch_to_tsquery('german', ${unaccented(p.add(spec.rankText))}))`;
  }
  const order = [
    ...spec.sort.map((s) => `${sortColumn[s.field]} ${s.dir} nulls last`),
    // Solr breaks ties by index order; a name makes pages stable
    'm.name collate "C"',
  ].join(', ');
  const known = spec.facets.fields.filter((f): f is FacetField => (facetFields as readonly string[]).includes(f));
  const facetColumns =
    known.length === 0 ? `'{}'::json` : `json_build_object(${known.map((f) => `'${f}', ${facetSql(f, spec.facets, p)}`).join(', ')})`;
  const sql = `
    with ${spec.facets.mincount === 0 && known.length > 0 ? `visible as (select ${matchedColumns} from catalog.dataset d where ${visible}),` : ''}
    matched as materialized (select ${matchedColumns}, ${score} as score from catalog.dataset d where ${where}),
    page as (select m.id from matched m order by ${order} limit ${p.add(spec.rows)} offset ${p.add(spec.start)}),
    ordered as (select array(select id from page) as ids)
    select (select count(*) from matched) as count,
      coalesce((select json_agg(${datasetJson('d')} order by p.ord) from ordered, unnest(ordered.ids) with ordinality as p(id, ord)
        join catalog.dataset d on d.id = p.id), '[]') as results,
      ${facetColumns} as facets`;
  const { rows } = await ctx.pool.query<SearchRow>(sql, p.values);
  const row = rows[0];
  const facets: Record<string, FacetValue[]> = {};
  for (const field of spec.facets.fields) {
    facets[field] = (row?.facets[field] ?? []).map(([name, displayName, count]) => ({ name, displayName, count: Number(count) }));
  }
  return { count: Number(row?.count ?? 0), results: row?.results ?? [], facets, fuzzy };
}

/**
 * Searches the datasets the viewer may see. Internal datasets take part only when the search asks
 * for them and the viewer may read them (steering, admin). When a query of free words finds
 * nothing, datasets whose name or title resemble the words are returned instead (pg_trgm word
 * similarity), ranked by that similarity.
 */
export function searchDatasets(ctx: DomainContext, spec: DatasetSearch): Promise<DatasetSearchResult> {
  return runAction(ctx, 'dataset.search', async (c) => {
    if (!Number.isInteger(spec.rows) || spec.rows < 0 || spec.rows > 1000) throw ValidationError.of('rows', 'Must be between 0 and 1000');
    if (!Number.isInteger(spec.start) || spec.start < 0) throw ValidationError.of('start', 'Must be a natural number');
    const found = await run(c, spec, spec.query, false);
    if (found.count > 0 || !spec.fallback || !spec.rankText?.trim()) return found;
    return run(c, spec, { op: 'similar', value: spec.rankText }, true);
  });
}
