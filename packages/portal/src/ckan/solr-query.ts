import { rangeFields, sortFields, termFields, textFields, type SearchClause, type SortField } from '@hro/api/domain';
import { searchError, searchQueryError } from './errors.js';

/**
 * The part of Solr's query language CKAN clients send in package_search's `q` and `fq`, parsed
 * into search clauses:
 *
 * - words, `"phrases"`, `word*` prefixes — on the default field `text` (every word must occur:
 *   CKAN sets q.op=AND);
 * - `field:value`, `field:"value"`, `field:(a OR b)`, `field:[from TO to]` (`{…}` exclusive,
 *   `*` open, dates with Solr's `NOW-7DAYS/DAY` arithmetic) for the fields CKAN indexes;
 * - `AND`, `OR`, `NOT`, `&&`, `||`, `!`, `+`, `-` and parentheses; `*:*` for everything.
 *
 * A query without a colon is what CKAN hands to Solr's dismax parser: free text (websearch
 * syntax: words, "phrases", `-word`, `or`), scored for relevance. A field CKAN does not index
 * here matches nothing, as Solr's catch-all dynamic field would. What does not parse is CKAN's
 * 409 Search Error.
 */

interface Token {
  kind: 'word' | 'quoted' | 'range' | 'open' | 'close' | 'and' | 'or' | 'not' | 'must';
  text: string;
  /** for words: `field:` prefix split off (value may be empty when the value follows as its own token) */
  field?: string;
}

const isSpace = (ch: string) => /\s/.test(ch);

function tokenize(input: string, fail: (reason: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (): string => {
    let out = '';
    i++; // opening quote
    while (i < input.length && input[i] !== '"') {
      if (input[i] === '\\' && i + 1 < input.length) i++;
      out += input[i];
      i++;
    }
    if (i >= input.length) fail('Lexical error: unterminated quoted string');
    i++; // closing quote
    return out;
  };
  const readRange = (): string => {
    const start = i;
    const close = input[i] === '[' ? ']' : '}';
    const closeAlt = close === ']' ? '}' : ']';
    while (i < input.length && input[i] !== close && input[i] !== closeAlt) i++;
    if (i >= input.length) fail('Encountered "<EOF>": unterminated range');
    i++;
    return input.slice(start, i);
  };
  while (i < input.length) {
    const ch = input[i] as string;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '(') {
      tokens.push({ kind: 'open', text: ch });
      i++;
      continue;
    }
    if (ch === ')') {
      tokens.push({ kind: 'close', text: ch });
      i++;
      continue;
    }
    if (ch === '"') {
      tokens.push({ kind: 'quoted', text: readQuoted() });
      continue;
    }
    if (ch === '[' || ch === '{') {
      tokens.push({ kind: 'range', text: readRange() });
      continue;
    }
    if ((ch === '+' || ch === '-' || ch === '!') && i + 1 < input.length && !isSpace(input[i + 1] as string)) {
      tokens.push({ kind: ch === '+' ? 'must' : 'not', text: ch });
      i++;
      continue;
    }
    if (input.startsWith('&&', i) || input.startsWith('||', i)) {
      tokens.push({ kind: ch === '&' ? 'and' : 'or', text: input.slice(i, i + 2) });
      i += 2;
      continue;
    }
    // a word, with backslash escapes; an unescaped colon ends a field name
    let word = '';
    let field: string | undefined;
    while (i < input.length) {
      const c = input[i] as string;
      if (isSpace(c) || c === '(' || c === ')' || c === '"' || ((c === '[' || c === '{') && field !== undefined && word === '')) break;
      if (c === '\\' && i + 1 < input.length) {
        word += input[i + 1];
        i += 2;
        continue;
      }
      if (c === ':' && field === undefined) {
        field = word;
        word = '';
        i++;
        continue;
      }
      word += c;
      i++;
    }
    if (field === undefined && (word === 'AND' || word === 'OR' || word === 'NOT')) {
      tokens.push({ kind: word === 'AND' ? 'and' : word === 'OR' ? 'or' : 'not', text: word });
    } else {
      tokens.push({ kind: 'word', text: word, field });
    }
  }
  return tokens;
}

type Field =
  | { kind: 'term'; name: (typeof termFields)[number] }
  | { kind: 'text'; name: (typeof textFields)[number] }
  | { kind: 'range'; name: (typeof rangeFields)[number] }
  | { kind: 'unknown' };

function fieldOf(name: string): Field {
  if ((termFields as readonly string[]).includes(name)) return { kind: 'term', name: name as (typeof termFields)[number] };
  if ((textFields as readonly string[]).includes(name)) return { kind: 'text', name: name as (typeof textFields)[number] };
  if ((rangeFields as readonly string[]).includes(name)) return { kind: 'range', name: name as (typeof rangeFields)[number] };
  return { kind: 'unknown' };
}

const dateUnits: Record<string, (d: Date, n: number) => void> = {
  YEAR: (d, n) => d.setUTCFullYear(d.getUTCFullYear() + n),
  MONTH: (d, n) => d.setUTCMonth(d.getUTCMonth() + n),
  DAY: (d, n) => d.setUTCDate(d.getUTCDate() + n),
  DATE: (d, n) => d.setUTCDate(d.getUTCDate() + n),
  HOUR: (d, n) => d.setUTCHours(d.getUTCHours() + n),
  MINUTE: (d, n) => d.setUTCMinutes(d.getUTCMinutes() + n),
  SECOND: (d, n) => d.setUTCSeconds(d.getUTCSeconds() + n),
  MILLI: (d, n) => d.setUTCMilliseconds(d.getUTCMilliseconds() + n),
  MILLISECOND: (d, n) => d.setUTCMilliseconds(d.getUTCMilliseconds() + n),
};

function roundDate(d: Date, unit: string): void {
  const order = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'];
  const keep = order.indexOf(unit === 'DATE' ? 'DAY' : unit);
  if (keep < 0) return;
  if (keep < 1) d.setUTCMonth(0);
  if (keep < 2) d.setUTCDate(1);
  if (keep < 3) d.setUTCHours(0);
  if (keep < 4) d.setUTCMinutes(0);
  if (keep < 5) d.setUTCSeconds(0);
  d.setUTCMilliseconds(0);
}

/**
 * A Solr date (`2024-01-31T12:00:00Z`, with fractions; `NOW`; either followed by date math such
 * as `-7DAYS/DAY`) as ISO text. Solr wants the Z; CKAN's harvesters always send it, and a date
 * without a zone is read as UTC here rather than refused.
 */
export function solrDate(text: string, fail: (reason: string) => never): string {
  const match = /^(NOW|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z?)((?:[+\-/]\d*[A-Z]+)*)$/.exec(text);
  if (!match) return fail(`Invalid Date String:'${text}'`);
  const [, base = '', math = ''] = match;
  if (base !== 'NOW' && math === '') {
    // keep microseconds exactly (a JS Date has milliseconds only)
    const iso = base.endsWith('Z') ? base : `${base}Z`;
    if (Number.isNaN(Date.parse(iso.replace(/(\.\d{3})\d+/, '$1')))) return fail(`Invalid Date String:'${text}'`);
    return iso;
  }
  const date = base === 'NOW' ? new Date() : new Date(Date.parse((base.endsWith('Z') ? base : `${base}Z`).replace(/(\.\d{3})\d+/, '$1')));
  if (Number.isNaN(date.getTime())) return fail(`Invalid Date String:'${text}'`);
  for (const [, op = '', amount = '', rawUnit = ''] of math.matchAll(/([+\-/])(\d*)([A-Z]+)/g)) {
    const unit = rawUnit.endsWith('S') && rawUnit !== 'MILLIS' ? rawUnit.slice(0, -1) : rawUnit === 'MILLIS' ? 'MILLI' : rawUnit;
    if (op === '/') {
      if (amount !== '' || !(unit in dateUnits)) return fail(`Invalid Date Math String:'${text}'`);
      roundDate(date, unit);
    } else {
      const add = dateUnits[unit];
      if (!add || amount === '') return fail(`Invalid Date Math String:'${text}'`);
      add(date, op === '-' ? -Number(amount) : Number(amount));
    }
  }
  return date.toISOString();
}

class Parser {
  private pos = 0;
  /** free words outside negations, for relevance */
  readonly words: string[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly fail: (reason: string) => never,
  ) {}

  parse(): SearchClause {
    if (this.tokens.length === 0) return { op: 'all' };
    const clause = this.or(undefined, false);
    if (this.pos < this.tokens.length) this.fail(`Encountered "${this.tokens[this.pos]?.text ?? ''}": unbalanced parentheses`);
    return clause;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private or(field: string | undefined, negated: boolean): SearchClause {
    const groups = [this.and(field, negated)];
    while (this.peek()?.kind === 'or') {
      this.pos++;
      groups.push(this.and(field, negated));
    }
    return groups.length === 1 ? (groups[0] as SearchClause) : { op: 'or', clauses: groups };
  }

  private and(field: string | undefined, negated: boolean): SearchClause {
    const required: SearchClause[] = [];
    const prohibited: SearchClause[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.kind === 'close' || t.kind === 'or') break;
      if (t.kind === 'and') {
        this.pos++;
        continue;
      }
      let not = false;
      while (this.peek()?.kind === 'not' || this.peek()?.kind === 'must') {
        if (this.peek()?.kind === 'not') not = !not;
        this.pos++;
      }
      const clause = this.primary(field, negated !== not);
      (not ? prohibited : required).push(clause);
    }
    if (required.length === 0 && prohibited.length === 0) this.fail('Encountered "<EOF>": a clause is missing');
    // a purely negative query means "everything except" (Solr adds *:* as well)
    const positive = required.length > 0 ? required : [{ op: 'all' } as SearchClause];
    const clauses = [...positive, ...prohibited.map((c): SearchClause => ({ op: 'not', clause: c }))];
    return clauses.length === 1 ? (clauses[0] as SearchClause) : { op: 'and', clauses };
  }

  private primary(field: string | undefined, negated: boolean): SearchClause {
    const t = this.tokens[this.pos++];
    if (!t) return this.fail('Encountered "<EOF>"');
    if (t.kind === 'open') {
      const inner = this.or(field, negated);
      if (this.tokens[this.pos++]?.kind !== 'close') this.fail('Encountered "<EOF>": missing closing parenthesis');
      return inner;
    }
    if (t.kind === 'quoted') return this.value(field, t.text, true, negated);
    if (t.kind === 'range') {
      if (field === undefined) return this.fail(`Encountered "${t.text}": a range needs a field`);
      return this.range(field, t.text);
    }
    if (t.kind !== 'word') return this.fail(`Encountered "${t.text}"`);
    if (t.field === undefined) return this.value(field, t.text, false, negated);
    if (field !== undefined) return this.fail(`Encountered "${t.field}:" inside a field's value`);
    if (t.field === '*' && t.text === '*') return { op: 'all' };
    if (t.text !== '') return this.value(t.field, t.text, false, negated);
    // field:"…", field:(…), field:[…]
    const next = this.peek();
    if (!next || next.kind === 'close' || next.kind === 'or' || next.kind === 'and')
      return this.fail(`Encountered "<EOF>" after "${t.field}:"`);
    if (next.kind === 'open' || next.kind === 'quoted' || next.kind === 'range') return this.primary(t.field, negated);
    // `field: value` — Lucene allows space after the colon
    if (next.kind === 'word' && next.field === undefined) {
      this.pos++;
      return this.value(t.field, next.text, false, negated);
    }
    return this.fail(`Encountered "${next.text}" after "${t.field}:"`);
  }

  private value(fieldName: string | undefined, text: string, quoted: boolean, negated: boolean): SearchClause {
    const name = fieldName ?? 'text';
    const field = fieldOf(name);
    // `field:*`: a value exists — every dataset has a title and dates; tags and groups may be missing
    if (!quoted && text === '*' && field.kind !== 'term') return field.kind === 'unknown' ? { op: 'none' } : { op: 'all' };
    switch (field.kind) {
      case 'term':
        return { op: 'term', field: field.name, value: text, wildcard: !quoted };
      case 'text': {
        if (field.name === 'text' && !negated) this.words.push(text);
        const prefix = !quoted && text.endsWith('*');
        return {
          op: 'text',
          field: field.name,
          value: prefix ? text.slice(0, -1) : text,
          mode: quoted ? 'phrase' : prefix ? 'prefix' : 'words',
        };
      }
      case 'range': {
        const bound = this.bound(field.name, text);
        return { op: 'range', field: field.name, from: bound, to: bound, fromInclusive: true, toInclusive: true };
      }
      case 'unknown':
        return { op: 'none' };
    }
  }

  private bound(field: (typeof rangeFields)[number], text: string): string {
    if (field === 'num_resources' || field === 'num_tags') {
      if (!/^-?\d+$/.test(text)) return this.fail(`Invalid Number: ${text}`);
      return text;
    }
    return solrDate(text, this.fail);
  }

  private range(fieldName: string, text: string): SearchClause {
    const field = fieldOf(fieldName);
    const match = /^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/.exec(text);
    if (!match) return this.fail(`Encountered "${text}": a range reads [from TO to]`);
    const [, open, from = '*', to = '*', close] = match;
    if (field.kind !== 'range') return field.kind === 'unknown' ? { op: 'none' } : { op: 'all' };
    return {
      op: 'range',
      field: field.name,
      from: from === '*' ? null : this.bound(field.name, from),
      to: to === '*' ? null : this.bound(field.name, to),
      fromInclusive: open === '[',
      toInclusive: close === ']',
    };
  }
}

export interface ParsedQuery {
  clause: SearchClause;
  /** free words for relevance ranking and the fuzzy fallback */
  rankText: string | null;
  /** a dismax-style query of free words only */
  freeText: boolean;
}

/** Parses a Solr query in Lucene syntax (fq always; q when it has a colon). */
export function parseLucene(input: string, param: 'q' | 'fq'): ParsedQuery {
  const fail = (reason: string): never => {
    throw searchError(`Cannot parse '${input}': ${reason}`);
  };
  if (input.includes('{!')) throw searchError(`Local parameters are not supported in param '${param}'.`);
  const parser = new Parser(tokenize(input, fail), fail);
  const clause = parser.parse();
  return { clause, rankText: parser.words.length ? parser.words.join(' ') : null, freeText: false };
}

/** Parses package_search's q as CKAN hands it to Solr: empty is everything, no colon is free text. */
export function parseQ(q: string | undefined): ParsedQuery {
  const text = (q ?? '').trim();
  if (text === '' || text === '""' || text === "''" || text === '*') return { clause: { op: 'all' }, rankText: null, freeText: false };
  if (!text.includes(':')) {
    if (text.includes('{!')) throw searchError(`Local parameters are not supported in param 'q'.`);
    return { clause: { op: 'text', field: 'text', value: text, mode: 'web' }, rankText: text, freeText: true };
  }
  return parseLucene(text, 'q');
}

/**
 * Parses a Solr sort (`score desc, metadata_modified desc`). A clause without asc/desc is CKAN's
 * 400 `Invalid "sort" parameter`; a field that cannot be sorted on is Solr's error (409).
 */
export function parseSort(sort: string): { field: SortField; dir: 'asc' | 'desc' }[] {
  const out: { field: SortField; dir: 'asc' | 'desc' }[] = [];
  for (const part of sort.split(',')) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const [field = '', dir = ''] = words;
    if (words.length !== 2 || (dir.toLowerCase() !== 'asc' && dir.toLowerCase() !== 'desc'))
      throw searchQueryError('Invalid "sort" parameter');
    if (!(sortFields as readonly string[]).includes(field)) throw searchError(`sort param field can't be found: ${field}`);
    out.push({ field: field as SortField, dir: dir.toLowerCase() as 'asc' | 'desc' });
  }
  if (out.length === 0) throw searchQueryError('Invalid "sort" parameter');
  return out;
}
