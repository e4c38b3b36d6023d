import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvFile } from './read-csv.js';

describe('readCsvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hro-ozg-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('numbers records by their first line, also after a CRLF inside a quoted field and empty lines', async () => {
    const path = join(dir, 'lines.csv');
    writeFileSync(path, '\ufeffa,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n4,5\r\n');
    const records = [];
    for await (const r of readCsvFile(path, { entity: 'e', requiredColumns: ['a'] })) records.push([r.position, r.data]);
    expect(records).toEqual([
      ['lines.csv:2', { a: '1', b: '2' }],
      ['lines.csv:4', { a: 'x\r\ny', b: '3' }],
      ['lines.csv:6', { a: '4', b: '5' }],
    ]);
  });

  it('passes a row with extra fields on as rejected, with what it holds', async () => {
    const path = join(dir, 'extra.csv');
    writeFileSync(path, 'a,b\n1,2,3\n');
    const records = [];
    for await (const r of readCsvFile(path, { entity: 'e', requiredColumns: ['a'] })) records.push(r);
    expect(records).toEqual([
      {
        entity: 'e',
        position: 'extra.csv:2',
        data: { a: '1', b: '2', _extra_fields: ['3'] },
        reject: { code: 'ROW_FIELD_COUNT', reason: 'row has 3 fields, the header 2' },
      },
    ]);
  });

  it('refuses a header-only catalog file unless empty is allowed, and a doubled column', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, 'a,b\r\n');
    const read = async (options: { allowEmpty?: boolean }) => {
      const out = [];
      for await (const r of readCsvFile(path, { entity: 'e', requiredColumns: ['a'], ...options })) out.push(r);
      return out;
    };
    await expect(read({})).rejects.toThrow(/empty\.csv: a header but no rows/);
    await expect(read({ allowEmpty: true })).resolves.toEqual([]);
    writeFileSync(path, 'a,a\r\n1,2\r\n');
    await expect(read({})).rejects.toThrow(/column a appears twice/);
  });
});
