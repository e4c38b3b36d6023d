import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { plannedExecution } from './fast-execute.js';
import type { RawJson, RawListField } from '../db/raw-json.js';

/** The fields of a selection set with this name, through inline fragments and fragment spreads. */
function fieldsNamed(set: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo, seen: Set<string>): FieldNode[] {
  if (!set) return [];
  const found: FieldNode[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...fieldsNamed(selection.selectionSet, name, info, seen));
    } else if (!seen.has(selection.name.value)) {
      const fragment = info.fragments[selection.name.value];
      if (fragment) found.push(...fieldsNamed(fragment.selectionSet, name, info, new Set([...seen, selection.name.value])));
    }
  }
  return found;
}

/**
 * Whether the operation selects one of these paths below the field being resolved, e.g.
 * `['nodes', 'milestones']`. A root resolver asks this to fetch a child list in its own statement
 * (a correlated json_agg) and prime the child's DataLoader: one round trip instead of two, which
 * is most of what a small query costs. @skip/@include are ignored: at worst a list is fetched
 * that is not sent.
 */
export function selects(info: GraphQLResolveInfo, ...paths: string[][]): boolean {
  return paths.some((path) => {
    let nodes: readonly FieldNode[] = info.fieldNodes;
    for (const name of path) {
      nodes = nodes.flatMap((node) => fieldsNamed(node.selectionSet, name, info, new Set()));
      if (nodes.length === 0) return false;
    }
    return true;
  });
}

/**
 * The names of the fields selected at the end of these paths (e.g. the fields of a connection's
 * nodes: `['nodes']`, `['edges', 'node']`), so a list reads only the columns asked for.
 */
export function selectedFields(info: GraphQLResolveInfo, ...paths: string[][]): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    let nodes: readonly FieldNode[] = info.fieldNodes;
    for (const name of path) nodes = nodes.flatMap((node) => fieldsNamed(node.selectionSet, name, info, new Set()));
    for (const node of nodes) collectNames(node.selectionSet, info, names, new Set());
  }
  return names;
}

function collectNames(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, into: Set<string>, seen: Set<string>): void {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) collectNames(selection.selectionSet, info, into, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      collectNames(info.fragments[selection.name.value]?.selectionSet, info, into, seen);
    }
  }
}

/**
 * The leaf fields selected in the list at the end of `path` below the field being resolved (e.g.
 * `['metrics']`, `['nodes', 'milestones']`), in order, when that list may be answered as JSON text
 * written by PostgreSQL (a RawJson, written into the answer as it is): the planned executor runs
 * (graphql/fast-execute.ts), the field is resolved once, and every step of the path is selected
 * once, directly, without arguments or directives, the list with plain fields only — no
 * fragments or sub-selections, no __typename, no key twice. Else undefined: the list is read as
 * rows and goes through the executor like any other.
 */
export function rawListSelection(info: GraphQLResolveInfo, path: readonly string[]): RawListSelection | undefined {
  if ((info as { [plannedExecution]?: boolean })[plannedExecution] !== true || info.fieldNodes.length !== 1) return undefined;
  let node: FieldNode | undefined = info.fieldNodes[0];
  for (const name of path) {
    const selections = node?.selectionSet?.selections ?? [];
    if (selections.some((s) => s.kind !== Kind.FIELD)) return undefined;
    const named = (selections as readonly FieldNode[]).filter((s) => s.name.value === name);
    node = named[0];
    if (named.length !== 1 || !node?.selectionSet || node.arguments?.length || node.directives?.length) return undefined;
  }
  const fields: RawListField[] = [];
  const keys = new Set<string>();
  for (const s of node?.selectionSet?.selections ?? []) {
    if (s.kind !== Kind.FIELD || s.selectionSet || s.arguments?.length || s.directives?.length || s.name.value.startsWith('__'))
      return undefined;
    const key = s.alias?.value ?? s.name.value;
    if (keys.has(key)) return undefined;
    keys.add(key);
    fields.push({ key, name: s.name.value });
  }
  return node && fields.length > 0 ? { node, fields } : undefined;
}

/** The list's field node in the document and its plain fields. */
export interface RawListSelection {
  node: FieldNode;
  fields: RawListField[];
}

const rawLists = Symbol('lists as the answer’s text');
type WithRawLists = { [rawLists]?: Map<string, { node: FieldNode; text: RawJson }> };

/** Keeps a row's list `field` as the answer's text, for the field node it was written for. */
export function attachRawList(row: object, field: string, node: FieldNode, text: RawJson): void {
  ((row as WithRawLists)[rawLists] ??= new Map()).set(field, { node, text });
}

/**
 * The text attachRawList kept for the field being resolved — only where it resolves that very field
 * node (the same row can be reached by another path with another selection, e.g. edges and nodes).
 */
export function rawListOf(row: object, info: GraphQLResolveInfo): RawJson | undefined {
  const kept = (row as WithRawLists)[rawLists]?.get(info.fieldName);
  return kept && info.fieldNodes.length === 1 && info.fieldNodes[0] === kept.node ? kept.text : undefined;
}
