// The small readers of the project tool's values: HAL links, keys, durations, dates, Retry-After.
import { describe, expect, it } from 'vitest';
import { customFields, hoursToDuration, idFromHref, isIsoDuration, slug, steeringKeyIn, workspaceId } from './hal.js';
import { detectDelimiter, detectEncoding } from './export-read.js';
import { missingColumns, parseExportDate, parseExportDuration, parseExportTimestamp } from './export-entities.js';
import { retryAfterMs } from './http.js';
import { projectStatus, workPackageStatus } from './status.js';

describe('HAL links', () => {
  it('turns relative and absolute hrefs into ids; {href: null}, text/html links and other collections into null', () => {
    expect(workspaceId('/api/v3/projects/5')).toBe('5');
    expect(workspaceId('https://op.example/api/v3/programs/12')).toBe('12');
    expect(workspaceId(null)).toBeNull();
    expect(workspaceId('/api/v3/portfolio/1')).toBeNull();
    expect(idFromHref('/work_packages/2/move/new', ['work_packages'])).toBeNull();
    expect(idFromHref('/api/v3/work_packages/1298', ['work_packages'])).toBe('1298');
    expect(idFromHref('/api/v3/project_statuses/on_track', ['project_statuses'])).toBe('on_track');
  });

  it('keeps custom fields, but not the ones naming people', () => {
    const resource = {
      customField1: 'Foo',
      customField2: 42,
      customFieldX: 'no',
      _links: {
        customField3: { href: 'api/v3/users/14' },
        customField4: { href: '/api/v3/custom_options/7', title: 'Amt 10' },
        customField5: [{ href: '/api/v3/custom_options/8', title: 'a' }],
      },
    };
    expect(customFields(resource)).toEqual({
      customField1: 'Foo',
      customField2: 42,
      customField4: { href: '/api/v3/custom_options/7', title: 'Amt 10' },
      customField5: [{ href: '/api/v3/custom_options/8', title: 'a' }],
    });
  });
});

describe('keys', () => {
  it('finds the steering key in identifiers, names and custom fields', () => {
    expect(steeringKeyIn('p001-19')).toBe('P001/19');
    expect(steeringKeyIn('P004/19 Digitales Antragsverfahren')).toBe('P004/19');
    expect(steeringKeyIn('rathaus-a006_20-web')).toBe('A006/20');
    expect(steeringKeyIn('dev-large-child')).toBeNull();
    expect(steeringKeyIn('Projekt 2023/24')).toBeNull();
    expect(steeringKeyIn('P0001/190')).toBeNull();
  });

  it('makes short project keys from names', () => {
    expect(slug('OZG-Umsetzung Bürgerservice')).toBe('ozg-umsetzung-burgerservice');
    expect(slug('Straßenbau')).toBe('strassenbau');
    expect(slug('P004/19 Digitales Antrags- und Genehmigungsverfahren Bau').length).toBeLessThanOrEqual(48);
  });
});

describe('durations, dates and times', () => {
  it('accepts ISO-8601 durations PostgreSQL reads as intervals', () => {
    for (const ok of ['PT2H', 'P1337D', 'P370DT13H', 'PT0.5H', 'P1W', 'PT10M']) expect(isIsoDuration(ok)).toBe(true);
    for (const bad of ['P', 'PT', '2H', 'P1H', 'PT2H30']) expect(isIsoDuration(bad)).toBe(false);
    expect(hoursToDuration(2.5)).toBe('PT2H30M');
    expect(hoursToDuration(0)).toBe('PT0H');
    expect(parseExportDuration('120,0 h')).toBe('PT120H');
    expect(parseExportDuration('0,25')).toBe('PT15M');
    expect(parseExportDuration('3 Std.')).toBe('PT3H');
    expect(parseExportDuration('viel')).toBeNull();
  });

  it('reads German and ISO dates and refuses impossible ones', () => {
    expect(parseExportDate('15.01.2022')).toBe('2022-01-15');
    expect(parseExportDate('1.2.2024')).toBe('2024-02-01');
    expect(parseExportDate('2024-02-29')).toBe('2024-02-29');
    expect(parseExportDate('31.02.2024')).toBeNull();
    expect(parseExportDate('2023-02-29')).toBeNull();
  });

  it('reads export times as Rostock wall-clock time, in winter and summer', () => {
    expect(parseExportTimestamp('12.01.2022 09:53')).toBe('2022-01-12T08:53:00.000Z');
    expect(parseExportTimestamp('20.07.2025 10:00:30')).toBe('2025-07-20T08:00:30.000Z');
    expect(parseExportTimestamp('2025-10-26T12:00:00')).toBe('2025-10-26T11:00:00.000Z');
    expect(parseExportTimestamp('2022-01-12T08:53:29Z')).toBe('2022-01-12T08:53:29.000Z');
    expect(parseExportTimestamp('12.01.2022 25:00')).toBeNull();
    expect(parseExportTimestamp('gestern')).toBeNull();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('bald', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('statuses', () => {
  it('maps project status codes and work-package statuses onto the steering vocabulary', () => {
    expect(projectStatus('off_track')).toBe('in_progress');
    expect(projectStatus('finished')).toBe('done');
    expect(projectStatus(null)).toBeNull();
    expect(workPackageStatus('Rejected', { isClosed: true })).toBe('cancelled');
    expect(workPackageStatus('Fertig', { isClosed: true })).toBe('done');
    expect(workPackageStatus('Closed', { isClosed: false })).toBe('in_progress');
    expect(workPackageStatus('Eigener Status', { isClosed: false, isDefault: true })).toBe('planned');
    expect(workPackageStatus('On hold', {})).toBe('on_hold');
  });
});

describe('CSV sniffing', () => {
  it('detects the encoding and delimiter of an export', () => {
    expect(detectEncoding(Buffer.from('\uFEFFID;Typ', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('Priorität', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0x50, 0x72, 0x69, 0x6f, 0x72, 0x69, 0x74, 0xe4, 0x74]))).toBe('windows-1252');
    expect(detectDelimiter('ID;Typ;Thema')).toBe(';');
    expect(detectDelimiter('"ID","Typ","Thema; lang"')).toBe(',');
    expect(detectDelimiter('ID\tTyp\tThema')).toBe('\t');
  });

  it('names the required columns a header lacks, in German or English spelling', () => {
    expect(missingColumns(['ID', 'Type', 'Subject', 'Status', 'Project'])).toEqual([]);
    expect(missingColumns(['ID', 'Typ', 'Status'])).toEqual(['Thema', 'Projekt']);
  });
});
