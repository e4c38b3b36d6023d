import { describe, expect, it } from 'vitest';
import { normalizeStatus, orgUnitCodes, parsePrioSize, responsibleCodes, splitBullets, splitParagraphs, stripHtml } from './cells.js';

describe('strategy cells', () => {
  it('reads org-unit codes with and without the leading zero', () => {
    expect(orgUnitCodes('6.3')).toEqual(['06.3']);
    expect(orgUnitCodes('06.5 06.4 06.2')).toEqual(['06.5', '06.4', '06.2']);
    expect(orgUnitCodes('06/')).toEqual(['06']);
    expect(orgUnitCodes('ITSIB, 06')).toEqual(['06']);
    expect(orgUnitCodes('66.02')).toEqual(['66.02']);
    expect(orgUnitCodes('ISB')).toEqual([]);
  });

  it('treats "?" as an open responsibility, even with candidates beside it', () => {
    expect(responsibleCodes('?')).toEqual([]);
    expect(responsibleCodes('? (10/06)')).toEqual([]);
    expect(responsibleCodes('06.5 06.3')).toEqual(['06.5', '06.3']);
  });

  it('parses priority and size with alternatives and gaps', () => {
    expect(parsePrioSize('1/A')).toEqual({ priority: 1, size: 'A', sizeAlternative: null });
    expect(parsePrioSize('2/A(B)')).toEqual({ priority: 2, size: 'A', sizeAlternative: 'B' });
    expect(parsePrioSize('3/B/(C)')).toEqual({ priority: 3, size: 'B', sizeAlternative: 'C' });
    expect(parsePrioSize('x/A')).toEqual({ priority: null, size: 'A', sizeAlternative: null });
    expect(parsePrioSize('')).toEqual({ priority: null, size: null, sizeAlternative: null });
  });

  it('maps the free-text statuses and keeps unknown ones unmapped', () => {
    expect(normalizeStatus('Nicht begonnen')).toBe('planned');
    expect(normalizeStatus('Geplant')).toBe('planned');
    expect(normalizeStatus('bereits laufend PQG')).toBe('in_progress');
    expect(normalizeStatus('<p>In Umsetzung</p>')).toBe('in_progress');
    expect(normalizeStatus('umgesetzt')).toBe('done');
    expect(normalizeStatus('')).toBeNull();
    expect(normalizeStatus('wird geprüft')).toBeNull();
  });

  it('removes HTML remnants and splits bullet cells into items', () => {
    expect(stripHtml('<p>Bewohnerparken &amp; MESO</p>')).toBe('Bewohnerparken & MESO');
    expect(splitBullets('<p>Schwerpunkte:</p> <ul style="list-style-type: none"> • Erstens • Zweitens', '•')).toEqual([
      'Erstens',
      'Zweitens',
    ]);
    expect(splitBullets('Nutzen: <ul> + IST als Grundlage + Definition einer C++-Basis', '+')).toEqual([
      'IST als Grundlage',
      'Definition einer C++-Basis',
    ]);
    expect(splitParagraphs('<p>Ziel A  Ziel B</p><ul><li>o Unterpunkt</li></ul>')).toEqual(['Ziel A', 'Ziel B', 'Unterpunkt']);
  });
});
