import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { description, implementationStatus, leikaServiceKey, legalBasis, serviceRef } from './cells.js';

describe('legal basis', () => {
  it('takes the links out of the text, keeps order, drops repeats, adds the missing scheme', () => {
    expect(legalBasis('§ 6 Paßgesetz (PaßG) [http://www.gesetze-im-internet.de/pa_g_1986/__6.html]')).toEqual({
      text: '§ 6 Paßgesetz (PaßG)',
      urls: ['http://www.gesetze-im-internet.de/pa_g_1986/__6.html'],
    });
    expect(legalBasis('Gebührenverordnung (GBZugV) [www.gesetze-im-internet.de/gbzugv_2011/], § 2 X [http://a.de/x]')).toEqual({
      text: 'Gebührenverordnung (GBZugV), § 2 X',
      urls: ['https://www.gesetze-im-internet.de/gbzugv_2011/', 'http://a.de/x'],
    });
    // the catalogue's one bare link, written again in brackets
    const bare = 'https://www.gesetze-im-internet.de/bbig_2005/__37.html [https://www.gesetze-im-internet.de/bbig_2005/__37.html]';
    expect(legalBasis(bare)).toEqual({ text: null, urls: ['https://www.gesetze-im-internet.de/bbig_2005/__37.html'] });
    expect(legalBasis('§ 13a  Absatz 6 GewO [Fassung 2019]')).toEqual({ text: '§ 13a Absatz 6 GewO [Fassung 2019]', urls: [] });
    expect(legalBasis('')).toEqual({ text: null, urls: [] });
  });

  it('never leaves a link in the text, for any mix of text and bracketed links', () => {
    const word = fc.stringMatching(/^[A-Za-zÄÖÜäöüß§0-9 ().-]{0,12}$/);
    const url = fc.stringMatching(/^https?:\/\/[a-z]{1,8}\.de\/[a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(word, url), { maxLength: 6 }), (parts) => {
        const { text, urls } = legalBasis(parts.map(([w, u]) => `${w} [${u}]`).join(', '));
        expect(text ?? '').not.toMatch(/https?:\/\//);
        expect(new Set(urls).size).toBe(urls.length);
        for (const [, u] of parts) expect(urls).toContain(u);
      }),
    );
  });
});

describe('service keys', () => {
  it('keys LeiKa entries by their key, local entries by OZG id and title, and refuses other keys', () => {
    expect(leikaServiceKey(' 99012001000000 ', '10513', 'Abbruchgenehmigung')).toBe('leika:99012001000000');
    const local = leikaServiceKey('nicht im LeiKa', '10501', 'Abfallerzeugernummer beantragen');
    expect(local).toMatch(/^leika-local:10501:[0-9a-f]{12}$/);
    expect(leikaServiceKey('nicht im LeiKa', '10501', '  Abfallerzeugernummer   beantragen ')).toBe(local);
    expect(leikaServiceKey('nicht im LeiKa', '', 'Polizei-Internetwache ')).toMatch(/^leika-local:ohne-ozg:/);
    expect(leikaServiceKey('25323525', '10513', 'Test 124')).toBeNull();
    expect(leikaServiceKey('9901200100000', '10513', 'x')).toBeNull();
  });

  it('reads a maturity row’s service as OZG id, LeiKa key or service key', () => {
    expect(serviceRef('10513')).toBe('ozg:10513');
    expect(serviceRef('99012001000000')).toBe('leika:99012001000000');
    expect(serviceRef('leika-local:10501:0123456789ab')).toBe('leika-local:10501:0123456789ab');
    expect(serviceRef('1051')).toBeNull();
  });
});

describe('status and description', () => {
  it('maps the KDN status list and keeps "offen" and unknown text null', () => {
    expect(['offen', 'in Planung', 'In Bearbeitung ', 'umgesetzt', 'erledigt?'].map(implementationStatus)).toEqual([
      null,
      'planned',
      'in_progress',
      'online',
      null,
    ]);
  });

  it('drops a description that only says "Test"', () => {
    expect(description('Test')).toBeNull();
    expect(description(' Test der Anlage ')).toBe('Test der Anlage');
  });
});
