import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatAware, valueFormatPrototype } from './format.js';
import {
  decimalNumber,
  epochMillis,
  germanCount,
  germanDate,
  germanNumber,
  oneOf,
  parseDecimal,
  requiredText,
  yearMonth,
  yesNo,
} from './values.js';

/** The quarantine reason a schema gives for a value: `column: message`. */
function reason(schema: z.ZodType, value: string | undefined): string {
  const result = z.object({ Spalte: schema }).safeParse(value === undefined ? {} : { Spalte: value });
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to fail`);
  const issue = result.error.issues[0];
  return `${issue?.path.join('.')}: ${issue?.message}`;
}

describe('csv cell values', () => {
  it('reads German numbers with decimal comma and thousands dots, and the missing marks', () => {
    const n = germanNumber();
    expect(n.parse('2.124,3')).toBe(2124.3);
    expect(n.parse('357385,7')).toBe(357385.7);
    expect(n.parse(' -3,7 ')).toBe(-3.7);
    expect(n.parse('1.234.567')).toBe(1234567);
    expect(n.parse('42')).toBe(42);
    expect(n.parse('.')).toBeNull();
    expect(n.parse('')).toBeNull();
    expect(n.parse(undefined)).toBeNull();
    expect(reason(n, '12.5')).toBe('Spalte: "12.5" is not a number (expected e.g. 1.234,5)');
    expect(reason(n, '1,2,3')).toMatch(/"1,2,3" is not a number/);
    expect(reason(germanNumber({ min: 0 }), '-1.200,00')).toBe('Spalte: "-1.200,00" is negative');
    expect(parseDecimal('1,234.5', '.')).toBe(1234.5);
    expect(parseDecimal('1.234,5', '.')).toBeUndefined();
  });

  it('reads counts as whole non-negative numbers and names a non-numeric one', () => {
    const c = germanCount();
    expect(c.parse('1.204')).toBe(1204);
    expect(c.parse('0')).toBe(0);
    expect(reason(c, 'k. A.')).toBe('Spalte: "k. A." is not a number (expected e.g. 1.234)');
    expect(reason(c, '12,5')).toBe('Spalte: "12,5" is not a whole number');
    expect(reason(c, '-3')).toBe('Spalte: "-3" is negative');
    expect(reason(germanCount({ required: true }), '')).toBe('Spalte: missing value');
    expect(reason(germanCount({ required: true }), undefined)).toBe('Spalte: missing column');
  });

  it('reads German and ISO dates and rejects dates that do not exist', () => {
    const d = germanDate();
    expect(d.parse('31.12.2024')).toBe('2024-12-31');
    expect(d.parse('1.2.2024')).toBe('2024-02-01');
    expect(d.parse('2024-02-29')).toBe('2024-02-29');
    expect(d.parse('')).toBeNull();
    expect(reason(d, '31.02.2024')).toBe('Spalte: "31.02.2024" is not a date (expected DD.MM.YYYY)');
    expect(reason(d, '2023-02-29')).toMatch(/"2023-02-29" is not a date/);
    expect(reason(d, '12/31/2024')).toMatch(/is not a date/);
  });

  it('reads months as MM.YYYY or YYYY-MM', () => {
    const m = yearMonth({ required: true });
    expect(m.parse('03.2024')).toBe('2024-03-01');
    expect(m.parse('3.2024')).toBe('2024-03-01');
    expect(m.parse('2024-11')).toBe('2024-11-01');
    expect(reason(m, '13.2024')).toBe('Spalte: "13.2024" is not a month (expected MM.YYYY or YYYY-MM)');
  });

  it('maps code-list words case-insensitively and lists the allowed ones', () => {
    const dms = oneOf({ keine: 'none', einseitig: 'one_way', beidseitig: 'two_way' });
    expect(dms.parse('Beidseitig ')).toBe('two_way');
    expect(dms.parse('')).toBeNull();
    expect(reason(dms, 'teilweise')).toBe('Spalte: "teilweise" is not one of: keine, einseitig, beidseitig');
    expect(yesNo().parse('Ja')).toBe(true);
    expect(yesNo().parse('nein')).toBe(false);
    expect(reason(yesNo(), 'vielleicht')).toBe('Spalte: "vielleicht" is neither ja nor nein');
  });

  it('reads epoch milliseconds and required text', () => {
    expect(epochMillis().parse('1740651467085')).toBe('2025-02-27T10:17:47.085Z');
    expect(requiredText().parse('  VOIS|MESO ')).toBe('VOIS|MESO');
    expect(reason(requiredText(), ' ')).toBe('Spalte: missing value');
  });

  it('validates a record by the value format its export declares', () => {
    const schema = formatAware((format) =>
      z.object({ Kosten: decimalNumber({ decimal: format.decimal }), Datum: germanDate() }).transform((r) => ({ cost: r.Kosten })),
    );
    expect(schema.parse({ Kosten: '1.234,5', Datum: '' })).toEqual({ cost: 1234.5 });
    const pointFormat = Object.assign(Object.create(valueFormatPrototype({ decimal: '.', dateFormat: 'YYYY-MM-DD' })) as object, {
      Kosten: '1,234.5',
      Datum: '',
    });
    expect(Object.keys(pointFormat)).toEqual(['Kosten', 'Datum']);
    expect(JSON.stringify(pointFormat)).toBe('{"Kosten":"1,234.5","Datum":""}');
    expect(schema.parse(pointFormat)).toEqual({ cost: 1234.5 });
    const bad = schema.safeParse({ Kosten: '1.234,5', Datum: '31.02.2024' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['Datum'], message: '"31.02.2024" is not a date (expected DD.MM.YYYY)' });
  });
});
