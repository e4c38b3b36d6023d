/**
 * schema/CHANGELOG.md, read and written by the schema change check and `pnpm schema:release`.
 * Keep a Changelog layout (https://keepachangelog.com/en/1.1.0/): `## [Unreleased]`, then one
 * `## [<version>] – <YYYY-MM-DD>` section per release, newest first, each with `### Added`,
 * `### Deprecated`, `### Breaking` … lists.
 *
 * A breaking change is one list item that names its schema coordinate(s) in backticks and its
 * deprecation period:
 *
 *     - `Service.online` removed: use `Service.maturity`. Deprecated since 2027-01-15, removed after 2027-04-15.
 */

/** One `## …` section of the changelog. */
export interface ChangelogSection {
  /** "Unreleased", or the version, e.g. "1.0.0" */
  title: string;
  /** release date of a version section (YYYY-MM-DD) */
  date?: string;
  /** the list items (a continuation line is joined to its item) */
  entries: string[];
}

const SECTION = /^## \[?([^\]\s]+)\]?(?:\s+[–-]\s+(\d{4}-\d{2}-\d{2}))?\s*$/;
const UNRELEASED = /^## \[?Unreleased\]?\s*$/im;

/** The changelog's `## …` sections in file order. */
export function parseChangelog(text: string): ChangelogSection[] {
  const sections: ChangelogSection[] = [];
  let current: ChangelogSection | undefined;
  let inItem = false;
  for (const line of text.split(/\r?\n/)) {
    const heading = SECTION.exec(line);
    if (heading) {
      current = { title: heading[1] ?? '', entries: [], ...(heading[2] ? { date: heading[2] } : {}) };
      sections.push(current);
      inItem = false;
      continue;
    }
    if (!current) continue;
    if (/^[-*] /.test(line)) {
      current.entries.push(line.slice(2).trim());
      inItem = true;
    } else if (inItem && /^\s+\S/.test(line)) {
      current.entries[current.entries.length - 1] += ` ${line.trim()}`;
    } else {
      inItem = false;
    }
  }
  return sections;
}

/** The schema coordinates an entry names in backticks (`Type`, `Type.field`, `Type.field.argument`). */
export function coordinatesOf(entry: string): string[] {
  return [...entry.matchAll(/`([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*){0,2})`/g)].map((m) => m[1] ?? '');
}

/** The deprecation period an entry states ("deprecated since <date>, removed after <date>"), if any. */
export function deprecationPeriodOf(entry: string): { since: string; removedAfter: string } | undefined {
  const since = /deprecated since (\d{4}-\d{2}-\d{2})/i.exec(entry)?.[1];
  const removedAfter = /removed after (\d{4}-\d{2}-\d{2})/i.exec(entry)?.[1];
  return since && removedAfter ? { since, removedAfter } : undefined;
}

/**
 * `pnpm schema:release`: turns the Unreleased section into `## [<version>] – <date>` and opens a
 * new, empty Unreleased section above it. Throws when there is no Unreleased section or the
 * version was released before.
 */
export function releaseChangelog(text: string, version: string, date: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`version "${version}" is not MAJOR.MINOR.PATCH`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`date "${date}" is not YYYY-MM-DD`);
  if (!UNRELEASED.test(text)) throw new Error('schema/CHANGELOG.md has no "## [Unreleased]" section');
  if (parseChangelog(text).some((s) => s.title === version)) throw new Error(`version ${version} is in the changelog already`);
  return text.replace(UNRELEASED, `## [Unreleased]\n\n## [${version}] – ${date}`);
}
