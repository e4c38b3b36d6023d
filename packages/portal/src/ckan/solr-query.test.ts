import { describe, expect, it } from 'vitest';
import { CkanError } from './errors.js';
import { parseLucene, parseQ, parseSort, solrDate } from './solr-query.js';

const fail = (reason: string): never => {
  throw new Error(reason);
};

function errorOf(run: () => unknown): { status: number; error: unknown } {
  try {
    run();
  } catch (e) {
    if (e instanceof CkanError) return { status: e.status, error: e.error };
    throw e;
  }
  throw new Error('no error');
}

describe('parseQ', () => {
  it('reads an empty query as everything and a query without colon as free text', () => {
    for (const q of [undefined, '', '  ', '""', "''", '*'])
      expect(parseQ(q)).toEqual({ clause: { op: 'all' }, rankText: null, freeText: false });
    expect(parseQ(' Straßen "Winter dienst" -Abfall ')).toEqual({
      clause: { op: 'text', field: 'text', value: 'Straßen "Winter dienst" -Abfall', mode: 'web' },
      rankText: 'Straßen "Winter dienst" -Abfall',
      freeText: true,
    });
  });

  it('parses fields, groups, negation, precedence (AND before OR) and keeps free words for ranking', () => {
    expect(parseQ('Winterdienst tags:Satzung OR -name:abc* +res_format:"CSV"')).toEqual({
      clause: {
        op: 'or',
        clauses: [
          {
            op: 'and',
            clauses: [
              { op: 'text', field: 'text', value: 'Winterdienst', mode: 'words' },
              { op: 'term', field: 'tags', value: 'Satzung', wildcard: true },
            ],
          },
          {
            op: 'and',
            clauses: [
              { op: 'term', field: 'res_format', value: 'CSV', wildcard: false },
              { op: 'not', clause: { op: 'term', field: 'name', value: 'abc*', wildcard: true } },
            ],
          },
        ],
      },
      rankText: 'Winterdienst',
      freeText: false,
    });
    expect(parseLucene('tags:(Abfall OR "Stadt reinigung") && NOT title:Spiel*', 'fq').clause).toEqual({
      op: 'and',
      clauses: [
        {
          op: 'or',
          clauses: [
            { op: 'term', field: 'tags', value: 'Abfall', wildcard: true },
            { op: 'term', field: 'tags', value: 'Stadt reinigung', wildcard: false },
          ],
        },
        { op: 'not', clause: { op: 'text', field: 'title', value: 'Spiel', mode: 'prefix' } },
      ],
    });
    // a purely negative query means everything but
    expect(parseLucene('-organization:x', 'fq').clause).toEqual({
      op: 'and',
      clauses: [{ op: 'all' }, { op: 'not', clause: { op: 'term', field: 'organization', value: 'x', wildcard: true } }],
    });
    expect(parseLucene('tags: Abfall', 'fq').clause).toEqual({ op: 'term', field: 'tags', value: 'Abfall', wildcard: true });
    expect(parseLucene('name:a\\:b unbekannt:x *:*', 'fq').clause).toEqual({
      op: 'and',
      clauses: [{ op: 'term', field: 'name', value: 'a:b', wildcard: true }, { op: 'none' }, { op: 'all' }],
    });
  });

  it('parses ranges over dates and counts, inclusive and exclusive, open with *', () => {
    expect(parseLucene('metadata_modified:[2024-01-31T12:00:00.123456Z TO *] num_resources:{1 TO 3]', 'fq').clause).toEqual({
      op: 'and',
      clauses: [
        { op: 'range', field: 'metadata_modified', from: '2024-01-31T12:00:00.123456Z', to: null, fromInclusive: true, toInclusive: true },
        { op: 'range', field: 'num_resources', from: '1', to: '3', fromInclusive: false, toInclusive: true },
      ],
    });
  });

  it('refuses what does not parse with a 409 Search Error', () => {
    for (const q of ['title:(a', 'tags:"open', 'a)', 'metadata_modified:[2024 TO *]', 'num_tags:[x TO 2]', 'tags:', 'AND', 'x OR']) {
      expect(errorOf(() => parseLucene(q, 'fq')).status, q).toBe(409);
    }
    // without a colon q is free text, which always parses (dismax)
    expect(parseQ('a) AND (').freeText).toBe(true);
    expect(errorOf(() => parseLucene('{!func}x', 'fq'))).toEqual({
      status: 409,
      error: { message: `Search error: ("Local parameters are not supported in param 'fq'.",)`, __type: 'Search Error' },
    });
  });
});

describe('solrDate', () => {
  it('reads ISO dates (Z optional) and NOW with date math', () => {
    expect(solrDate('2024-01-31T12:34:56Z', fail)).toBe('2024-01-31T12:34:56Z');
    expect(solrDate('2024-01-31T12:34:56.123456', fail)).toBe('2024-01-31T12:34:56.123456Z');
    const before = Date.now();
    const day = new Date(solrDate('NOW/DAY-5DAYS', fail));
    const expected = new Date(before);
    expected.setUTCHours(0, 0, 0, 0);
    expected.setUTCDate(expected.getUTCDate() - 5);
    expect(day.getTime()).toBe(expected.getTime());
    expect(new Date(solrDate('2024-01-31T12:34:56Z+1MONTH/HOUR', fail)).toISOString()).toBe('2024-03-02T12:00:00.000Z');
    expect(() => solrDate('gestern', fail)).toThrow("Invalid Date String:'gestern'");
    expect(() => solrDate('NOW-5FORTNIGHTS', fail)).toThrow('Invalid Date Math String');
  });
});

describe('parseSort', () => {
  it('reads Solr sorts and refuses a missing direction (400) and unknown fields (409)', () => {
    expect(parseSort('score desc, metadata_modified DESC')).toEqual([
      { field: 'score', dir: 'desc' },
      { field: 'metadata_modified', dir: 'desc' },
    ]);
    expect(errorOf(() => parseSort('name'))).toEqual({
      status: 400,
      error: { message: `Search Query is invalid: ('Invalid "sort" parameter',)`, __type: 'Search Query Error' },
    });
    expect(errorOf(() => parseSort('name upward')).status).toBe(400);
    expect(errorOf(() => parseSort('views_recent desc')).status).toBe(409);
  });
});
