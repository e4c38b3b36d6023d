// Recognising what a CSV export is before parsing it: the delimiter, and the files that are not
// CSV at all (an HTML error page or a JSON error body delivered in place of the export).

export type Delimiter = ';' | ',' | '\t';
const candidates: readonly Delimiter[] = [';', ',', '\t'];

/** The first `limit` records of a text (quoted line breaks stay inside their record), comment lines left out. */
function leadingRecords(text: string, commentPrefix: string | undefined, limit: number): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= text.length && records.length < limit; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (i === text.length || (!quoted && (c === '\n' || c === '\r'))) {
      const record = text.slice(start, i);
      if (record.trim() !== '' && (commentPrefix === undefined || !record.startsWith(commentPrefix))) records.push(record);
      start = i + 1;
    }
  }
  return records;
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const c of record) {
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) n++;
  }
  return n;
}

/**
 * The delimiter that splits the first records most consistently: the same number of fields in
 * every record wins, then the most fields. A WKT column full of commas under `;` ("LINESTRING
 * (9.49 47.65, 9.49 47.65)") varies per row, so `;` wins there. Falls back to `;` (the German
 * export default) when no candidate occurs.
 */
export function sniffDelimiter(head: string, commentPrefix?: string): Delimiter {
  // The last record of a sample may be cut off; leave it out when there are others.
  const records = leadingRecords(head, commentPrefix, 21);
  if (records.length > 1) records.pop();
  let best: { delimiter: Delimiter; consistent: boolean; fields: number } | undefined;
  for (const delimiter of candidates) {
    const counts = records.map((r) => countOutsideQuotes(r, delimiter));
    const min = Math.min(...counts);
    if (!(min > 0)) continue;
    const consistent = counts.every((n) => n === counts[0]);
    const better = !best || (consistent && !best.consistent) || (consistent === best.consistent && min > best.fields);
    if (better) best = { delimiter, consistent, fields: min };
  }
  return best?.delimiter ?? ';';
}

/**
 * Throws when the text is plainly not a CSV export: an HTML or XML page (a portal's error or
 * login page saved under the export's name) or a JSON body. Names what was found.
 */
export function rejectNonCsv(head: string, file: string): void {
  const start = head.trimStart();
  if (start === '') throw new Error(`${file}: contains only blank lines, no header and no data`);
  if (/^<(!doctype\s+html|html|head|body)\b/i.test(start)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(start)?.[1]?.trim();
    throw new Error(`${file}: an HTML page, not a CSV export${title ? ` (title "${title}")` : ''} — probably an error or login page`);
  }
  if (/^<\?xml|^</.test(start)) throw new Error(`${file}: XML/markup, not a CSV export`);
  if (/^[{[]/.test(start) && /^[{[]\s*"/.test(start)) throw new Error(`${file}: JSON, not a CSV export — probably an error response`);
}
