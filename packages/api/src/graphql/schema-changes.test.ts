import { describe, expect, it } from 'vitest';
import { coordinatesOf, deprecationPeriodOf, parseChangelog, releaseChangelog } from './schema-changelog.js';
import { checkSchemaChanges, formatSchemaProblems } from './schema-changes.js';

// Small inline schemas: the rules of schema/CHANGELOG.md, one case each.
const released = `
  type Query {
    service(key: String!): Service
    services(first: Int): [Service!]!
  }
  type Service {
    key: String!
    title: String!
    online: Boolean @deprecated(reason: "Use Service.maturity.")
    legacyCode: String
    topic: Topic
  }
  type Topic { key: String! }
  enum Kind { ozg leika local }
`;
const without = (sdl: string, line: string) => {
  if (!sdl.includes(line)) throw new Error(`fixture has no "${line}"`);
  return sdl.replace(line, '');
};
// The released section announces the deprecation of Service.online (rule 3 wants it named).
const deprecationEntry = '`Service.online` deprecated: use `Service.maturity`. Deprecated since 2026-01-10, removed after 2026-04-10.';
const changelog = (...unreleased: string[]) =>
  [
    '# Changelog',
    '## [Unreleased]',
    '### Breaking',
    ...unreleased.map((e) => `- ${e}`),
    '## [1.0.0] – 2026-11-25',
    '### Deprecated',
    `- ${deprecationEntry}`,
  ].join('\n');
const announced = (coordinate: string) =>
  `\`${coordinate}\` removed: use \`Service.maturity\`. Deprecated since 2026-01-10, removed after 2026-04-10.`;
const today = '2026-11-25';

async function problems(current: string, log: string) {
  return (await checkSchemaChanges({ released, current, changelog: log, today })).problems;
}

describe('checkSchemaChanges', () => {
  it('passes an unchanged schema', async () => {
    const report = await checkSchemaChanges({ released, current: released, changelog: changelog(), today });
    expect(report.changes).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it('fails a removed field without a changelog entry, and names it with the fix', async () => {
    const found = await problems(without(released, 'online: Boolean @deprecated(reason: "Use Service.maturity.")'), changelog());
    expect(found).toEqual([expect.objectContaining({ coordinate: 'Service.online', type: 'FIELD_REMOVED' })]);
    const message = formatSchemaProblems(found);
    expect(message).toContain('Service.online [FIELD_REMOVED]');
    expect(message).toContain('## [Unreleased]');
  });

  it('passes the removal of a deprecated field with an entry and a deprecation period', async () => {
    const current = without(released, 'online: Boolean @deprecated(reason: "Use Service.maturity.")');
    expect(await problems(current, changelog(announced('Service.online')))).toEqual([]);
  });

  it('fails the removal of a field that was never deprecated, even with an entry', async () => {
    const found = await problems(without(released, 'legacyCode: String'), changelog(announced('Service.legacyCode')));
    expect(found).toEqual([expect.objectContaining({ coordinate: 'Service.legacyCode', type: 'FIELD_REMOVED' })]);
    expect(found[0]?.message).toMatch(/not deprecated in the released schema/);
    // without an entry: both rules are named
    const both = await problems(without(released, 'legacyCode: String'), changelog());
    expect(both.map((p) => p.message)).toEqual([
      expect.stringMatching(/a breaking change the changelog does not announce$/),
      expect.stringMatching(/not deprecated in the released schema$/),
    ]);
  });

  it('fails an entry without a deprecation period, with one too short, and a removal before its date', async () => {
    const current = without(released, 'online: Boolean @deprecated(reason: "Use Service.maturity.")');
    const noPeriod = await problems(current, changelog('`Service.online` removed.'));
    expect(noPeriod.map((p) => p.message)).toEqual([expect.stringMatching(/states no deprecation period/)]);
    const short = await problems(current, changelog('`Service.online` removed. Deprecated since 2026-01-10, removed after 2026-02-10.'));
    expect(short.map((p) => p.message)).toEqual([expect.stringMatching(/31 days is shorter than 90/)]);
    const early = await problems(current, changelog('`Service.online` removed. Deprecated since 2026-10-01, removed after 2027-01-01.'));
    expect(early.map((p) => p.message)).toEqual([expect.stringMatching(/before the end of its deprecation period/)]);
  });

  it('does not accept an entry in a released section for an unreleased change', async () => {
    const current = without(released, 'online: Boolean @deprecated(reason: "Use Service.maturity.")');
    const log = changelog().replace(deprecationEntry, announced('Service.online'));
    expect(await problems(current, log)).toEqual([expect.objectContaining({ coordinate: 'Service.online' })]);
  });

  it('passes an added optional field (non-breaking) and argument (dangerous), which need no entry', async () => {
    const current = released
      .replace('key: String!\n', 'key: String!\n    updatedAt: String\n')
      .replace('services(first: Int)', 'services(first: Int, after: String)');
    const report = await checkSchemaChanges({ released, current, changelog: changelog(), today });
    expect(report.changes.map((c) => [String(c.type), c.path, c.criticality.level])).toEqual(
      expect.arrayContaining([
        ['FIELD_ADDED', 'Service.updatedAt', 'NON_BREAKING'],
        ['FIELD_ARGUMENT_ADDED', 'Query.services.after', 'DANGEROUS'],
      ]),
    );
    expect(report.problems).toEqual([]);
  });

  it('treats a changed argument type and a new required argument as breaking', async () => {
    const changedType = await problems(released.replace('service(key: String!)', 'service(key: Int!)'), changelog());
    expect(changedType).toEqual([expect.objectContaining({ coordinate: 'Query.service.key', type: 'FIELD_ARGUMENT_TYPE_CHANGED' })]);
    const required = await problems(released.replace('services(first: Int)', 'services(first: Int, kind: Kind!)'), changelog());
    expect(required).toEqual([expect.objectContaining({ coordinate: 'Query.services.kind', type: 'FIELD_ARGUMENT_ADDED' })]);
  });

  it('fails a removed enum value that was not deprecated', async () => {
    const found = await problems(
      released.replace('enum Kind { ozg leika local }', 'enum Kind { ozg leika }'),
      changelog(announced('Kind.local')),
    );
    expect(found).toEqual([expect.objectContaining({ coordinate: 'Kind.local', type: 'ENUM_VALUE_REMOVED' })]);
  });

  it('fails a removed type while a live field used it, passes it once those fields were deprecated', async () => {
    const current = without(without(released, 'type Topic { key: String! }'), 'topic: Topic');
    const log = changelog(announced('Topic'), announced('Service.topic'));
    const found = await problems(current, log);
    expect(found.map((p) => [p.coordinate, p.type])).toEqual([
      ['Topic', 'TYPE_REMOVED'],
      ['Service.topic', 'FIELD_REMOVED'],
    ]);
    expect(found[0]?.message).toContain('without deprecation in Service.topic');
    const deprecatedFirst = released.replace('topic: Topic', 'topic: Topic @deprecated(reason: "Topics move to Service.maturity.")');
    const log2 = changelog(announced('Topic'), announced('Service.topic'));
    const report = await checkSchemaChanges({ released: deprecatedFirst, current, changelog: log2, today });
    expect(report.problems).toEqual([]);
  });

  it('requires a reason and a changelog entry for each deprecation of the current schema', async () => {
    const current = released.replace('legacyCode: String', 'legacyCode: String @deprecated');
    const found = await problems(current, changelog());
    expect(found.map((p) => [p.coordinate, p.message])).toEqual([
      ['Service.legacyCode', 'Service.legacyCode is deprecated without a reason'],
      ['Service.legacyCode', 'Service.legacyCode is deprecated but not in the changelog'],
    ]);
    // Service.online is deprecated in both and named in no section: reported too
    expect(await problems(released, changelog().replace(deprecationEntry, 'nothing'))).toEqual([
      expect.objectContaining({ coordinate: 'Service.online', type: 'DEPRECATION' }),
    ]);
  });
});

describe('schema changelog', () => {
  it('reads sections, entries with continuation lines, coordinates and periods', () => {
    const text = [
      '# Changelog',
      '- ignored (before any section)',
      '## [Unreleased]',
      '### Breaking',
      '- `Query.services.kind` is required now.',
      '  Deprecated since 2026-01-01, removed after 2026-06-01.',
      '## [1.0.0] – 2026-11-25',
      '* `Service` added',
    ].join('\n');
    expect(parseChangelog(text)).toEqual([
      { title: 'Unreleased', entries: ['`Query.services.kind` is required now. Deprecated since 2026-01-01, removed after 2026-06-01.'] },
      { title: '1.0.0', date: '2026-11-25', entries: ['`Service` added'] },
    ]);
    expect(coordinatesOf('`Query.services.kind` and `Service`, not `a b` or `@x`')).toEqual(['Query.services.kind', 'Service']);
    expect(deprecationPeriodOf('Deprecated since 2026-01-01, removed after 2026-06-01.')).toEqual({
      since: '2026-01-01',
      removedAfter: '2026-06-01',
    });
    expect(deprecationPeriodOf('deprecated since 2026-01-01')).toBeUndefined();
  });

  it('releases: Unreleased becomes the version with its date, a new empty Unreleased above', () => {
    const text = changelog(announced('Service.online'));
    const next = releaseChangelog(text, '1.1.0', '2027-05-01');
    expect(parseChangelog(next).map((s) => [s.title, s.date, s.entries.length])).toEqual([
      ['Unreleased', undefined, 0],
      ['1.1.0', '2027-05-01', 1],
      ['1.0.0', '2026-11-25', 1],
    ]);
    expect(() => releaseChangelog(next, '1.1.0', '2027-05-02')).toThrow(/1.1.0 is in the changelog already/);
    expect(() => releaseChangelog(text, 'v2', '2027-05-01')).toThrow(/not MAJOR.MINOR.PATCH/);
    expect(() => releaseChangelog('# nothing', '2.0.0', '2027-05-01')).toThrow(/no "## \[Unreleased\]"/);
  });
});
