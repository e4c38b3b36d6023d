/**
 * One value as PostgreSQL's `COPY … TO STDOUT (FORMAT csv)` writes it, which is what CKAN's
 * `records_format=csv|tsv` and its dumps contain: NULL empty, an empty string quoted, quotes
 * doubled, and quoted when it holds the delimiter, a quote or a line break.
 */
export function copyCsvField(raw: string | null, delimiter: string): string {
  if (raw === null) return '';
  if (raw === '' || raw === '\\.' || raw.includes(delimiter) || raw.includes('"') || raw.includes('\n') || raw.includes('\r')) {
    return `"${raw.replace(/"/g, '""')}"`;
  }
  return raw;
}

/** Rows as COPY writes them: fields joined by the delimiter, each row ended by `\n`. */
export function copyCsvRows(rows: (string | null)[][], delimiter: string): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += delimiter;
      out += copyCsvField(row[i] ?? null, delimiter);
    }
    out += '\n';
  }
  return out;
}
