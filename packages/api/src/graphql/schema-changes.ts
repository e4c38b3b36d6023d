/**
 * Schema change safety: compares the current SDL (schema/schema.graphql) with the last released
 * one (schema/released.graphql) by graphql-inspector and holds breaking changes to the rules of
 * schema/CHANGELOG.md:
 *
 * 1. every BREAKING change is named by its schema coordinate in an entry of the Unreleased
 *    section, and that entry states its deprecation period ("deprecated since <date>, removed
 *    after <date>", at least MIN_DEPRECATION_DAYS apart, and today after the removal date);
 * 2. what is removed — field, argument, input field, enum value — was `@deprecated(reason:)` in
 *    the released schema (deprecate first, release, remove later). A type cannot carry
 *    @deprecated: it counts as deprecated when every field, argument and input field of the
 *    released schema that uses it was;
 * 3. every deprecation of the current schema gives a reason of its own (not graphql's default
 *    "No longer supported") and is named in the changelog, so clients learn the removal date.
 *
 * The SDL comes in as text, so the same check runs on the repository's files and on the small
 * inline schemas of its unit tests. Only used by tests and `pnpm schema:release` (a dev tool:
 * @graphql-inspector/core is a root devDependency).
 */
import { diff, CriticalityLevel, type Change } from '@graphql-inspector/core';
import {
  buildSchema,
  DEFAULT_DEPRECATION_REASON,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { coordinatesOf, deprecationPeriodOf, parseChangelog } from './schema-changelog.js';

/** Shortest deprecation period a breaking change may announce. */
export const MIN_DEPRECATION_DAYS = 90;

export interface SchemaChangeInput {
  /** SDL of the last release (schema/released.graphql) */
  released: string;
  /** SDL now (schema/schema.graphql) */
  current: string;
  /** text of schema/CHANGELOG.md */
  changelog: string;
  /** the day the check runs (YYYY-MM-DD); a removal is allowed from its "removed after" date on */
  today: string;
}

/** One breaking change or deprecation that does not follow the rules, with what to do about it. */
export interface SchemaChangeProblem {
  coordinate: string;
  /** graphql-inspector's change type, or DEPRECATION for rule 3 */
  type: string;
  message: string;
  fix: string;
}

export interface SchemaChangeReport {
  /** every change graphql-inspector found, with its criticality */
  changes: Change[];
  problems: SchemaChangeProblem[];
}

const DAY_MS = 86_400_000;

/** Deprecation reasons of the released schema by coordinate; null: exists, not deprecated; undefined: no such coordinate. */
function deprecationAt(schema: GraphQLSchema, coordinate: string): string | null | undefined {
  const [typeName = '', member, argument] = coordinate.split('.');
  const type = schema.getType(typeName);
  if (!type || member === undefined) return undefined;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[member];
    if (!field) return undefined;
    if (argument === undefined) return field.deprecationReason ?? null;
    const arg = field.args.find((a) => a.name === argument);
    return arg ? (arg.deprecationReason ?? null) : undefined;
  }
  if (isInputObjectType(type)) {
    const field = type.getFields()[member];
    return field ? (field.deprecationReason ?? null) : undefined;
  }
  if (isEnumType(type)) {
    const value = type.getValue(member);
    return value ? (value.deprecationReason ?? null) : undefined;
  }
  return undefined;
}

/** Where the released schema uses a type (fields, arguments, input fields), each with its deprecation. */
function usagesOf(schema: GraphQLSchema, typeName: string): { coordinate: string; deprecated: boolean }[] {
  const usages: { coordinate: string; deprecated: boolean }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || type.name === typeName) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) {
          usages.push({ coordinate: `${type.name}.${field.name}`, deprecated: Boolean(field.deprecationReason) });
        }
        for (const arg of field.args) {
          if (getNamedType(arg.type).name === typeName) {
            usages.push({
              coordinate: `${type.name}.${field.name}.${arg.name}`,
              deprecated: Boolean(arg.deprecationReason ?? field.deprecationReason),
            });
          }
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) {
          usages.push({ coordinate: `${type.name}.${field.name}`, deprecated: Boolean(field.deprecationReason) });
        }
      }
    }
  }
  return usages;
}

/** Every deprecated coordinate of a schema with its reason. */
function deprecationsOf(schema: GraphQLSchema): { coordinate: string; reason: string }[] {
  const found: { coordinate: string; reason: string }[] = [];
  const isSet = (reason: string | null | undefined): reason is string => reason !== null && reason !== undefined;
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (isSet(field.deprecationReason)) found.push({ coordinate: `${type.name}.${field.name}`, reason: field.deprecationReason });
        for (const arg of field.args) {
          if (isSet(arg.deprecationReason)) {
            found.push({ coordinate: `${type.name}.${field.name}.${arg.name}`, reason: arg.deprecationReason });
          }
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (isSet(field.deprecationReason)) found.push({ coordinate: `${type.name}.${field.name}`, reason: field.deprecationReason });
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (isSet(value.deprecationReason)) found.push({ coordinate: `${type.name}.${value.name}`, reason: value.deprecationReason });
      }
    }
  }
  return found;
}

const REMOVALS = new Set(['FIELD_REMOVED', 'FIELD_ARGUMENT_REMOVED', 'INPUT_FIELD_REMOVED', 'ENUM_VALUE_REMOVED']);

const ENTRY_FORMAT =
  'add to schema/CHANGELOG.md under "## [Unreleased]" → "### Breaking": "- `<coordinate>` <what changed, what to use instead>. Deprecated since YYYY-MM-DD, removed after YYYY-MM-DD."';

/** Checks the current schema against the released one and the changelog (see the module comment). */
export async function checkSchemaChanges(input: SchemaChangeInput): Promise<SchemaChangeReport> {
  const released = buildSchema(input.released);
  const current = buildSchema(input.current);
  const changes = await diff(released, current);
  const sections = parseChangelog(input.changelog);
  const unreleased = sections.find((s) => s.title.toLowerCase() === 'unreleased')?.entries ?? [];
  const problems: SchemaChangeProblem[] = [];
  const problem = (coordinate: string, type: string, message: string, fix: string) => problems.push({ coordinate, type, message, fix });

  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    // graphql-inspector types `type` per change kind; here it is the kind's name
    const type = String(change.type);
    const coordinate = change.path ?? type;
    const entry = unreleased.find((e) => coordinatesOf(e).includes(coordinate));
    const period = entry === undefined ? undefined : deprecationPeriodOf(entry);
    if (entry === undefined) {
      problem(
        coordinate,
        type,
        `${change.message}: a breaking change the changelog does not announce`,
        ENTRY_FORMAT.replace('<coordinate>', coordinate),
      );
    } else if (!period) {
      problem(
        coordinate,
        type,
        `${change.message}: the changelog entry states no deprecation period`,
        'end the entry with "Deprecated since YYYY-MM-DD, removed after YYYY-MM-DD."',
      );
    } else {
      const days = (Date.parse(period.removedAfter) - Date.parse(period.since)) / DAY_MS;
      if (!(days >= MIN_DEPRECATION_DAYS)) {
        problem(
          coordinate,
          type,
          `${change.message}: a deprecation period of ${days} days is shorter than ${MIN_DEPRECATION_DAYS}`,
          `set "removed after" at least ${MIN_DEPRECATION_DAYS} days after "deprecated since"`,
        );
      } else if (input.today <= period.removedAfter) {
        problem(
          coordinate,
          type,
          `${change.message} before the end of its deprecation period (removed after ${period.removedAfter})`,
          `keep it (deprecated) until after ${period.removedAfter}`,
        );
      }
    }
    if (REMOVALS.has(type)) {
      if (!deprecationAt(released, coordinate)) {
        problem(
          coordinate,
          type,
          `${change.message}, but it was not deprecated in the released schema`,
          `restore it with @deprecated(reason: "…") (type-graphql: deprecationReason), release that, and remove it after the deprecation period`,
        );
      }
    } else if (type === 'TYPE_REMOVED') {
      const live = usagesOf(released, coordinate).filter((u) => !u.deprecated);
      if (live.length > 0) {
        problem(
          coordinate,
          type,
          `${change.message}, but the released schema used it without deprecation in ${live.map((u) => u.coordinate).join(', ')}`,
          'deprecate every field, argument and input field that uses the type first, release that, and remove it after the deprecation period',
        );
      }
    }
  }

  const named = new Set(sections.flatMap((s) => s.entries.flatMap(coordinatesOf)));
  for (const { coordinate, reason } of deprecationsOf(current)) {
    if (reason.trim() === '' || reason === DEFAULT_DEPRECATION_REASON) {
      problem(
        coordinate,
        'DEPRECATION',
        `${coordinate} is deprecated without a reason`,
        'give @deprecated a reason (type-graphql: deprecationReason) naming what to use instead',
      );
    }
    if (!named.has(coordinate)) {
      problem(
        coordinate,
        'DEPRECATION',
        `${coordinate} is deprecated but not in the changelog`,
        'add to "## [Unreleased]" → "### Deprecated": "- `' +
          coordinate +
          '` <reason>. Deprecated since YYYY-MM-DD, removed after YYYY-MM-DD."',
      );
    }
  }
  return { changes, problems };
}

/** The report's problems as one readable message (the failing test prints it). */
export function formatSchemaProblems(problems: SchemaChangeProblem[]): string {
  if (problems.length === 0) return 'schema changes follow schema/CHANGELOG.md';
  return [
    `${problems.length} schema change(s) against schema/released.graphql break the rules of schema/CHANGELOG.md:`,
    ...problems.map((p) => `  - ${p.coordinate} [${p.type}]: ${p.message}\n    fix: ${p.fix}`),
  ].join('\n');
}
