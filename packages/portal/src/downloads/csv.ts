import type { ExportColumn } from '@hro/api/domain';
import { neutralise } from './formula.js';

/**
 * A download's CSV dialect. The default is RFC 4180 (`,`, CRLF, UTF-8). `sep=;` is the variant
 * German Excel opens without an import dialog: `;` between fields and a decimal comma in
 * non-integer numbers (Excel reads "1.5" as a date or text under a German locale); dates stay
 * ISO 8601, which Excel recognises. `bom=1` prepends a UTF-8 byte order mark so that Excel
 * detects UTF-8 (umlauts) at all.
 */
export interface CsvDialect {
  separator: ',' | ';';
  decimalComma: boolean;
  bom: boolean;
}

/** What makes a field need quotes, per separator (one regular expression pass per value). */
const special = { ',': /[",\r\n]/, ';': /[";\r\n]/ } as const;

function quoted(text: string, separator: CsvDialect['separator']): string {
  return special[separator].test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line: the column names. */
export function csvHeader(columns: ExportColumn[], dialect: CsvDialect): string {
  return `${dialect.bom ? '\uFEFF' : ''}${columns.map((c) => quoted(neutralise(c.id), dialect.separator)).join(dialect.separator)}\r\n`;
}

type Encode = (raw: string) => string;

/** One encoder per column, chosen once per export rather than once per value. */
function encoders(columns: ExportColumn[], dialect: CsvDialect): Encode[] {
  const sep = dialect.separator;
  return columns.map((c): Encode => {
    switch (c.kind) {
      case 'int':
      case 'date':
      case 'timestamp':
        return (raw) => raw;
      case 'numeric':
        return dialect.decimalComma ? (raw) => raw.replace('.', ',') : (raw) => raw;
      case 'bool':
        return (raw) => (raw === 't' ? 'true' : 'false');
      case 'json':
        return (raw) => quoted(raw, sep);
      default:
        return (raw) => {
          const safe = neutralise(raw);
          // a neutralised cell is always quoted, so the apostrophe cannot be read as part of a formula
          return safe === raw ? quoted(raw, sep) : `"${safe.replace(/"/g, '""')}"`;
        };
    }
  });
}

/** Returns a function that encodes a batch of rows (PostgreSQL text values) as CSV lines. */
export function csvRows(columns: ExportColumn[], dialect: CsvDialect): (rows: (string | null)[][]) => string {
  const encode = encoders(columns, dialect);
  const sep = dialect.separator;
  return (rows) => {
    let out = '';
    for (const row of rows) {
      for (let i = 0; i < encode.length; i++) {
        if (i > 0) out += sep;
        const raw = row[i];
        if (raw !== null && raw !== undefined) out += (encode[i] as Encode)(raw);
      }
      out += '\r\n';
    }
    return out;
  };
}
