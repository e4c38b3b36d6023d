import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

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
