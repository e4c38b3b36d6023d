import { copyCsvRows, decodeValue, jsonText, type DumpFormat, type ExportColumn } from '@hro/api/domain';

// CKAN's DataStore dump files (ckanext/datastore/writer.py, CKAN 2.11), byte for byte: a CSV/TSV
// header written by Python's csv module (CRLF) over rows as PostgreSQL's COPY writes them (LF),
// the JSON document {"fields": …, "records": [[…], …]} and the XML <data> of <row> elements.
// These are the API's machine formats: values are as stored (no formula neutralisation; the
// portal's downloads are the files for spreadsheets).

export interface DumpWriter {
  contentType: string;
  extension: string;
  start(columns: ExportColumn[], bom: boolean): string;
  rows(columns: ExportColumn[]): (rows: (string | null)[][]) => string;
  end: string;
}

/** Python csv.writer's QUOTE_MINIMAL for one header row. */
function pythonCsvRow(values: string[], delimiter: string): string {
  return `${values.map((v) => (/["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v)).join(delimiter)}\r\n`;
}

const BOM = '\uFEFF';

function delimited(delimiter: string, contentType: string, extension: string): DumpWriter {
  return {
    contentType,
    extension,
    start: (columns, bom) =>
      `${bom ? BOM : ''}${pythonCsvRow(
        columns.map((c) => c.id),
        delimiter,
      )}`,
    rows: () => (rows) => copyCsvRows(rows, delimiter),
    end: '',
  };
}

/** simplejson.dumps(…, separators=(',', ':'), ensure_ascii=False) of the fields list. */
const fieldsJson = (columns: ExportColumn[]) => JSON.stringify(columns.map((c) => ({ id: c.id, type: c.type })));

function jsonWriter(): DumpWriter {
  return {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    start: (columns, bom) => `${bom ? BOM : ''}{\n  "fields": ${fieldsJson(columns)},\n  "records": [`,
    rows: (columns) => {
      let first = true;
      return (rows) => {
        let out = '';
        for (const row of rows) {
          out += first ? '\n    ' : ',\n    ';
          first = false;
          out += `[${columns.map((c, i) => jsonText(c.kind, row[i] ?? null)).join(',')}]`;
        }
        return out;
      };
    },
    end: '\n]}\n',
  };
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlAttr = (s: string) => xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#09;');

/** A column name as an XML element name (letters, digits, `_`, `-`, `.`; not starting with a digit or "xml"). */
export function xmlName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/^(\d*xml\d*|\d+)/i, '')
    .replace(/\s+/g, '_')
    .replace(/[^\p{L}\p{N}_.-]/gu, '')
    .replace(/^[\d.-]+/, '');
  return cleaned || '_';
}

/** Python's str() of a JSON value, as ElementTree receives it. */
function pyStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** writer.py _insert_node: null is xsi:nil, lists and dicts nest as <value key="…">. */
function xmlNode(tag: string, value: unknown, key?: string | number): string {
  const keyAttr = key === undefined ? '' : ` key="${xmlAttr(String(key))}"`;
  if (value === null || value === undefined) return `<${tag} xsi:nil="true"${keyAttr} />`;
  if (typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return `<${tag}${keyAttr} />`;
    return `<${tag}${keyAttr}>${entries.map(([k, v]) => xmlNode('value', v, k)).join('')}</${tag}>`;
  }
  const text = pyStr(value);
  return text === '' ? `<${tag}${keyAttr} />` : `<${tag}${keyAttr}>${xmlText(text)}</${tag}>`;
}

function xmlWriter(): DumpWriter {
  return {
    contentType: 'text/xml; charset=utf-8',
    extension: 'xml',
    start: (_columns, bom) => `${bom ? BOM : ''}<data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n`,
    rows: (columns) => {
      const idFirst = columns[0]?.id === '_id';
      const names = new Map<string, string>();
      const used = new Set<string>();
      for (const c of columns.slice(idFirst ? 1 : 0)) {
        const base = xmlName(c.id);
        let name = base;
        for (let n = 0; used.has(name); n++) name = `${base}_${n}`;
        used.add(name);
        names.set(c.id, name);
      }
      return (rows) => {
        let out = '';
        for (const row of rows) {
          out += idFirst ? `<row _id="${xmlAttr(row[0] ?? '')}">` : '<row>';
          columns.forEach((c, i) => {
            if (idFirst && i === 0) return;
            // numbers as stored ("2.50"), the rest as the JSON value CKAN's objects format holds
            const raw = row[i] ?? null;
            out += xmlNode(names.get(c.id) as string, c.kind === 'int' || c.kind === 'numeric' ? raw : decodeValue(c.kind, raw));
          });
          out += '</row>\n';
        }
        return out;
      };
    },
    end: '</data>\n',
  };
}

export const dumpWriters: Record<DumpFormat, DumpWriter> = {
  csv: delimited(',', 'text/csv; charset=utf-8', 'csv'),
  tsv: delimited('\t', 'text/tab-separated-values; charset=utf-8', 'tsv'),
  json: jsonWriter(),
  xml: xmlWriter(),
};
