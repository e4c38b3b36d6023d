import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { readCsv, type CsvHeader, type CsvReadOptions, type CsvRow } from './read-csv.js';
import { epochMillis, germanNumber } from './values.js';

const messyDir = join(process.env.HRO_SHARED_DIR ?? join(repoRoot, '..', 'shared'), 'data', 'csv-messy');
const tmp = mkdtempSync(join(tmpdir(), 'hro-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function readAll(
  path: string,
  options: CsvReadOptions = {},
): Promise<{ rows: CsvRow[]; header: CsvHeader | undefined; bytes: number }> {
  const rows: CsvRow[] = [];
  let header: CsvHeader | undefined;
  let bytes = 0;
  for await (const row of readCsv(path, { ...options, onHeader: (h) => (header = h), onBytes: (n) => (bytes += n) })) rows.push(row);
  return { rows, header, bytes };
}

let n = 0;
/** Writes bytes (or text in an encoding) to a fresh temp file. */
function temp(content: string | Buffer, encoding: 'utf-8' | 'windows-1252' | 'iso-8859-1' = 'utf-8', name = 'export.csv'): string {
  const path = join(tmp, `${n++}-${name}`);
  writeFileSync(path, typeof content === 'string' ? iconv.encode(content, encoding) : content);
  return path;
}

const num = germanNumber();
const cell = (row: CsvRow | undefined, column: string) => row?.data[column];

describe('readCsv on the real messy exports', () => {
  it('btw17: Windows-1252 detected, # preamble and "Spalten-Nr." row skipped, "." as missing', async () => {
    const path = join(messyDir, 'btw17_strukturdaten_cp1252.csv');
    const { rows, header, bytes } = await readAll(path, { commentPrefix: '#', skipLines: 1 });
    expect(header).toMatchObject({ encoding: { encoding: 'windows-1252', by: 'detected' }, delimiter: ';', line: 9 });
    expect(header?.columns).toHaveLength(52);
    expect(header?.columns[4]).toBe('Fläche am 31.12.2015 (km²)');
    expect(header?.columns[51]).toBe('Fußnoten');
    expect(bytes).toBe(readFileSync(path).length);
    expect(rows).toHaveLength(316);
    expect(rows.filter((r) => Number(cell(r, 'Wahlkreis-Nr.')) >= 900)).toHaveLength(17);
    const first = rows[0];
    expect(first?.position).toBe('btw17_strukturdaten_cp1252.csv:10');
    expect(cell(first, 'Wahlkreis-Name')).toBe('Flensburg – Schleswig');
    expect(num.parse(cell(first, 'Fläche am 31.12.2015 (km²)'))).toBe(2128.1);
    expect(rows.find((r) => cell(r, 'Wahlkreis-Name') === 'Rendsburg-Eckernförde')).toBeDefined();
    const missing = rows.filter((r) => Object.values(r.data).includes('.'));
    expect(missing.length).toBeGreaterThan(0);
    const dotColumn = Object.entries(missing[0]?.data ?? {}).find(([, v]) => v === '.')?.[0] ?? '';
    expect(num.parse(cell(missing[0], dotColumn))).toBeNull();
    const last = rows.at(-1);
    expect(last?.position).toBe('btw17_strukturdaten_cp1252.csv:325');
    expect(num.parse(cell(last, 'Fläche am 31.12.2015 (km²)'))).toBe(357385.7);
    expect(cell(last, 'Fußnoten')).toMatch(/^Spalte 25: Einschl\. Fahrzeuge.*Schulabgänger/);
    expect(rows.every((r) => r.problem === undefined)).toBe(true);
  });

  it('btw21: UTF-8 with BOM, numbers with thousands dots like "2.124,3"', async () => {
    const { rows, header } = await readAll(join(messyDir, 'btw21_strukturdaten_utf8bom.csv'), { commentPrefix: '#', skipLines: 1 });
    expect(header?.encoding).toEqual({ encoding: 'utf-8', by: 'bom' });
    expect(header?.columns[0]).toBe('Land');
    expect(rows).toHaveLength(316);
    const first = rows[0];
    expect(cell(first, 'Wahlkreis-Nr.')).toBe('001');
    expect(num.parse(cell(first, 'Fläche am 31.12.2019 (km²)'))).toBe(2124.3);
    expect(num.parse(cell(rows.at(-1), 'Fläche am 31.12.2019 (km²)'))).toBe(357581);
    expect(
      cell(
        rows.find((r) => cell(r, 'Wahlkreis-Nr.') === '003'),
        'Wahlkreis-Name',
      ),
    ).toBe('Steinburg – Dithmarschen Süd');
  });

  it('friedrichshafen: BOM, LF, ";" sniffed despite the commas of the WKT column', async () => {
    const { rows, header } = await readAll(join(messyDir, 'friedrichshafen_parkstaende_utf8bom_commadecimal_wkt.csv'));
    expect(header).toMatchObject({ delimiter: ';', encoding: { encoding: 'utf-8', by: 'bom' } });
    expect(header?.columns[0]).toBe('id');
    expect(rows).toHaveLength(1697);
    const first = rows[0];
    expect(first?.position).toBe('friedrichshafen_parkstaende_utf8bom_commadecimal_wkt.csv:2');
    expect(cell(first, 'location_on_sidewalk')).toBe(
      'LINESTRING (9.4922496553216309 47.6564166892793537, 9.4922679312562401 47.6563538965662801)',
    );
    expect(num.parse(cell(first, 'length'))).toBe(7.11523);
    expect(cell(first, 'permissions_translation')).toBe('Gebührenfreies Parken ');
    expect(rows.at(-1)?.position).toBe('friedrichshafen_parkstaende_utf8bom_commadecimal_wkt.csv:1698');
  });

  it('bietigheim: ISO-8859-1 detected, CRLF, every string quoted, epoch milliseconds', async () => {
    const { rows, header } = await readAll(join(messyDir, 'bietigheim_parken_iso8859-1_crlf.csv'));
    expect(header?.encoding).toEqual({ encoding: 'iso-8859-1', by: 'detected' });
    expect(rows).toHaveLength(14);
    expect(rows[0]?.data).toEqual({
      Name: 'Parkplatz Mühlwiesenstr.',
      OpeningState: 'Geöffnet',
      Capacity: '106',
      OccupiedSites: '81',
      Timestamp: '1740651467085',
    });
    expect(epochMillis().parse(cell(rows[0], 'Timestamp'))).toBe('2025-02-27T10:17:47.085Z');
    expect(rows.filter((r) => cell(r, 'OpeningState') === 'Geschlossen')).toHaveLength(1);
  });

  it('reads a real export with its encoding configured instead of detected', async () => {
    const { rows, header } = await readAll(join(messyDir, 'bietigheim_parken_iso8859-1_crlf.csv'), {
      encoding: 'windows-1252',
      delimiter: ';',
    });
    expect(header?.encoding).toEqual({ encoding: 'windows-1252', by: 'configured' });
    expect(cell(rows[7], 'Name')).toBe('Parkplatz Löchgauer Str.');
  });
});

describe('readCsv on broken exports', () => {
  it('fails on a zero-byte file, a missing file and a file of blank lines', async () => {
    await expect(readAll(temp(''))).rejects.toThrow(/export\.csv: the export is empty \(0 bytes\)/);
    await expect(readAll(join(tmp, 'nicht-da.csv'))).rejects.toThrow(/nicht-da\.csv: cannot open the export \(no such file/);
    await expect(readAll(temp('\r\n\r\n  \n'))).rejects.toThrow(/only blank lines/);
  });

  it('fails on an HTML error page saved in place of the export', async () => {
    const html = '<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>Wartung</body></html>\n';
    await expect(readAll(temp(html))).rejects.toThrow(/an HTML page, not a CSV export \(title "503 Service Unavailable"\)/);
    await expect(readAll(temp('{"error":"unauthorized"}'))).rejects.toThrow(/JSON, not a CSV export/);
  });

  it('fails on a file cut off inside a quoted field, after yielding the rows before it', async () => {
    const path = temp('Kennung;Beschreibung\r\nFV-001;"vollständig"\r\nFV-002;"abgeschnit', 'windows-1252');
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const row of readCsv(path)) seen.push(row.data.Kennung ?? '');
      })(),
    ).rejects.toThrow(/Quote Not Closed.*line 3.*cut off \(truncated export\)/);
    expect(seen).toEqual(['FV-001']);
  });

  it('fails on a header without data rows and on a file with only a preamble', async () => {
    await expect(readAll(temp('Kennung;Bezeichnung\r\n'))).rejects.toThrow(/a header but no data rows/);
    expect((await readAll(temp('Kennung;Bezeichnung\r\n'), { allowEmpty: true })).rows).toEqual([]);
    await expect(readAll(temp('# nur Kommentar\n# noch einer\n'), { commentPrefix: '#' })).rejects.toThrow(/no header row/);
  });

  it('fails instead of loading U+FFFD when UTF-8 is declared for Windows-1252 bytes', async () => {
    const lines = ['Kennung;Bezeichnung', 'FV-001;Meldewesen', 'FV-002;Kfz-Zulassung', 'FV-003;Gebührenerhebung', 'FV-004;Bußgeld'];
    const path = temp(lines.join('\r\n') + '\r\n', 'windows-1252');
    await expect(readAll(path, { encoding: 'utf-8' })).rejects.toThrow(
      /export\.csv:4: bytes that are not valid utf-8 \(decoded as U\+FFFD\); the file looks like (windows-1252|iso-8859-1)/,
    );
    // detected, the same bytes load correctly
    const { rows } = await readAll(path);
    expect(rows.map((r) => r.data.Bezeichnung)).toEqual(['Meldewesen', 'Kfz-Zulassung', 'Gebührenerhebung', 'Bußgeld']);
  });

  it('fails when Windows-1252 is declared for UTF-8 bytes (which would load "Ã¼")', async () => {
    const path = temp('Kennung;Bezeichnung\nFV-003;Gebührenerhebung\n', 'utf-8');
    await expect(readAll(path, { encoding: 'windows-1252' })).rejects.toThrow(/configured encoding windows-1252, but the bytes are UTF-8/);
  });

  it('fails on a Windows-1252 byte after a plain-ASCII first 64 KB instead of guessing', async () => {
    const ascii = Array.from({ length: 3000 }, (_, i) => `FV-${i};Verfahren ${i}`).join('\n');
    const path = temp(`Kennung;Bezeichnung\n${ascii}\nFV-X;Straßenreinigung\n`, 'windows-1252');
    await expect(readAll(path)).rejects.toThrow(/export\.csv:3002: bytes that are not valid utf-8/);
  });
});

describe('readCsv on export quirks', () => {
  it('handles mixed line endings, quoted line breaks, comments, blank rows and trailing delimiters', async () => {
    const content = [
      '# Export Fachverfahren;;;\r\n',
      'Kennung;Beschreibung;Kosten;\r\n',
      'FV-001;"Zeile eins\r\nZeile zwei";1.200,50;\n',
      '\r\n',
      ';;;\n',
      'FV-002;"mit ""Anführung"" und ; Semikolon";0;\r',
      '# Zwischenkommentar\n',
      'FV-003;einfach;7\n',
    ].join('');
    const { rows, header } = await readAll(temp(content, 'windows-1252'), { commentPrefix: '#' });
    expect(header).toMatchObject({ line: 2, delimiter: ';', columns: ['Kennung', 'Beschreibung', 'Kosten', null] });
    expect(rows.map((r) => [r.line, r.data.Kennung, r.data.Beschreibung, r.problem])).toEqual([
      [3, 'FV-001', 'Zeile eins\r\nZeile zwei', undefined],
      [7, 'FV-002', 'mit "Anführung" und ; Semikolon', undefined],
      [9, 'FV-003', 'einfach', undefined],
    ]);
    expect(num.parse(rows[0]?.data.Kosten)).toBe(1200.5);
  });

  it('marks rows whose field count does not fit the header, and keeps them', async () => {
    const content = 'A;B;C\n1;2;3\n4;5\n6;7;8;neun\n10;11;12;\n';
    const { rows } = await readAll(temp(content));
    expect(rows.map((r) => [r.position.replace(/^\d+-/, ''), r.problem])).toEqual([
      ['export.csv:2', undefined],
      ['export.csv:3', '2 fields where the header has 3'],
      ['export.csv:4', '4 fields where the header has 3'],
      ['export.csv:5', undefined],
    ]);
    expect(rows[2]?.data).toEqual({ A: '6', B: '7', C: '8', 'Spalte 4': 'neun' });
  });

  it('sniffs tab and comma delimiters, and numbers repeated column names', async () => {
    const tab = await readAll(temp('Leistung\tMonat\tAnzahl\n99115004000000\t01.2024\t12\n'));
    expect(tab.header?.delimiter).toBe('\t');
    expect(tab.rows[0]?.data).toEqual({ Leistung: '99115004000000', Monat: '01.2024', Anzahl: '12' });
    const comma = await readAll(temp('a,b,b\n"x;y",2,3\n"z;w",4,5\n'));
    expect(comma.header?.delimiter).toBe(',');
    expect(comma.rows[0]?.data).toEqual({ a: 'x;y', b: '2', 'b (2)': '3' });
  });

  it('stops reading when the consumer stops early', async () => {
    const body = Array.from({ length: 50_000 }, (_, i) => `${i};Zeile ${i}`).join('\n');
    const path = temp(`Nr;Text\n${body}\n`);
    let seen = 0;
    let bytes = 0;
    for await (const row of readCsv(path, { onBytes: (b) => (bytes += b) })) {
      seen++;
      if (row.data.Nr === '99') break;
    }
    expect(seen).toBe(100);
    expect(bytes).toBeLessThan(readFileSync(path).length);
  });
});
