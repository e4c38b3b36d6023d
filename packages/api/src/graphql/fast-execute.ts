import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  execute,
  getArgumentValues,
  getVariableValues,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  typeFromAST,
  type ASTNode,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { containsRawJson, markRawJsonAnswer, RawJson } from '../db/raw-json.js';

/**
 * A faster executor for the common case of our queries, with graphql-js as the reference.
 *
 * graphql-js resolves every field of every row alike: a resolve-info object, argument coercion and
 * a default resolver call per field — on a page of 50 projects with 10 milestones each, about
 * 3,000 times, which dominates the request (bench/graphql). Here an operation is planned once per
 * parsed document (Apollo caches parsed documents): fields without a resolver are read as plain
 * properties and serialised, constant arguments are coerced once, and only real resolvers get an
 * info object. Whatever the plan does not cover — mutations, @skip/@include, abstract types,
 * introspection — and any answer that is not plain success (a resolver error, a null in a non-null
 * field, a value a scalar refuses) is left to graphql-js: the operation is executed there from the
 * start, so errors, null propagation and paths are exactly graphql-js'. Queries only read; running
 * a failed one again costs time, not correctness (DataLoaders keep what was loaded).
 */

/** Leaves the fast path: graphql-js executes the operation instead. */
class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

interface FieldPlan {
  key: string;
  name: string;
  nodes: FieldNode[];
  def: GraphQLField<unknown, unknown>;
  type: GraphQLOutputType;
  parentType: GraphQLObjectType;
  resolve: GraphQLFieldResolver<unknown, unknown> | undefined;
  /** coerced once when they use no variables (frozen: a resolver must not change them) */
  staticArgs: Record<string, unknown> | undefined;
  /** the object plan of the (single, concrete) named type of a composite field */
  sub: ObjectPlan | undefined;
}

interface ObjectPlan {
  type: GraphQLObjectType;
  fields: FieldPlan[];
  /** a resolver runs somewhere below: paths must be built for its info */
  needsPath: boolean;
}

interface OperationPlan {
  root: ObjectPlan;
  fragments: Record<string, FragmentDefinitionNode>;
}

type Path = { prev: Path | undefined; key: string | number; typename: string | undefined };

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function hasDirectives(node: ASTNode): boolean {
  let found = false;
  const walk = (n: unknown): void => {
    if (found || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const item of n) walk(item);
      return;
    }
    const o = n as { kind?: string; directives?: readonly unknown[] };
    if (o.directives && o.directives.length > 0) found = true;
    for (const [k, v] of Object.entries(o)) if (k !== 'loc') walk(v);
  };
  walk(node);
  return found;
}

function usesVariables(nodes: readonly FieldNode[]): boolean {
  const walk = (n: unknown): boolean => {
    if (n === null || typeof n !== 'object') return false;
    if (Array.isArray(n)) return n.some(walk);
    const o = n as { kind?: string };
    if (o.kind === Kind.VARIABLE) return true;
    return Object.entries(o).some(([k, v]) => k !== 'loc' && walk(v));
  };
  return nodes.some((node) => walk(node.arguments));
}

/** The fields of a selection set for one concrete type, by response key, in order (GraphQL's CollectFields without directives). */
function collectFields(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  into: Map<string, FieldNode[]>,
  visited: Set<string>,
): Map<string, FieldNode[]> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const list = into.get(key);
      if (list) list.push(selection);
      else into.set(key, [selection]);
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (visited.has(selection.name.value)) continue;
        visited.add(selection.name.value);
      }
      if (!fragment) continue;
      const condition = fragment.typeCondition ? typeFromAST(schema, fragment.typeCondition) : type;
      if (!condition) continue;
      const applies = condition === type || (isAbstractType(condition) && schema.isSubType(condition, type));
      if (applies) collectFields(schema, fragments, type, fragment.selectionSet, into, visited);
    }
  }
  return into;
}

function planObject(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
): ObjectPlan | undefined {
  if (type.isTypeOf) return undefined;
  const grouped = new Map<string, FieldNode[]>();
  for (const set of sets) collectFields(schema, fragments, type, set, grouped, new Set());
  const fields: FieldPlan[] = [];
  let needsPath = false;
  for (const [key, nodes] of grouped) {
    const first = nodes[0];
    // '__proto__' as a response key would not survive a plain object
    if (!first || key === '__proto__') return undefined;
    const name = first.name.value;
    if (name === '__typename') {
      fields.push({
        key,
        name,
        nodes,
        def: undefined as never,
        type: undefined as never,
        parentType: type,
        resolve: undefined,
        staticArgs: undefined,
        sub: undefined,
      });
      continue;
    }
    if (name.startsWith('__')) return undefined;
    const def = type.getFields()[name];
    if (!def) return undefined;
    let named: GraphQLOutputType = def.type;
    while (isNonNullType(named) || isListType(named)) named = named.ofType;
    let sub: ObjectPlan | undefined;
    if (isObjectType(named)) {
      const subSets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => s !== undefined);
      sub = planObject(schema, fragments, named, subSets);
      if (!sub) return undefined;
      needsPath ||= sub.needsPath;
    } else if (!isLeafType(named)) {
      return undefined;
    }
    const staticArgs = usesVariables(nodes) ? undefined : deepFreeze(getArgumentValues(def, first, {}));
    if (def.resolve) needsPath = true;
    fields.push({ key, name, nodes, def, type: def.type, parentType: type, resolve: def.resolve, staticArgs, sub });
  }
  return { type, fields, needsPath };
}

const plans = new WeakMap<DocumentNode, Map<string, OperationPlan | null>>();

function planFor(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationPlan | null {
  let byOperation = plans.get(document);
  if (!byOperation) {
    byOperation = new Map();
    plans.set(document, byOperation);
  }
  const name = operation.name?.value ?? '';
  const known = byOperation.get(name);
  if (known !== undefined) return known;
  let plan: OperationPlan | null = null;
  const queryType = schema.getQueryType();
  if (operation.operation === OperationTypeNode.QUERY && queryType && !hasDirectives(document)) {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const root = planObject(schema, fragments, queryType, [operation.selectionSet]);
    plan = root ? { root, fragments } : null;
  }
  byOperation.set(name, plan);
  return plan;
}

interface Run {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  context: unknown;
  rootValue: unknown;
  /** a value was a RawJson (db/raw-json.ts: a jsonb object, a list PostgreSQL wrote): the answer is marked for stringifyAnswer */
  rawJson: boolean;
}

/**
 * On the resolve-info of the planned executor: a resolver may answer a list as JSON text
 * (RawJson), which only this executor writes as it is — graphql-js would refuse it.
 */
export const plannedExecution = Symbol('planned execution');

const isPromise = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

/** Leaving a loop early by a throw: what it started may still fail, and must not fail unhandled. */
function abandon(pending: PromiseLike<unknown>[] | undefined, error: unknown): never {
  for (const p of pending ?? []) p.then(undefined, () => {});
  throw error;
}

function completeValue(run: Run, field: FieldPlan, type: GraphQLOutputType, value: unknown, path: Path | undefined): unknown {
  if (value instanceof Error) bail();
  if (isNonNullType(type)) {
    if (value === null || value === undefined) bail();
    return completeValue(run, field, type.ofType, value, path);
  }
  if (value === null || value === undefined) return null;
  // a list or object a resolver had PostgreSQL write for exactly this selection (lookahead.ts' rawListSelection)
  if (value instanceof RawJson) {
    run.rawJson = true;
    return value;
  }
  if (isListType(type)) {
    if (!Array.isArray(value)) bail();
    const items = value as unknown[];
    const out = new Array<unknown>(items.length);
    let pending: PromiseLike<unknown>[] | undefined;
    try {
      for (let i = 0; i < items.length; i++) {
        const itemPath = path && field.sub?.needsPath ? { prev: path, key: i, typename: undefined } : path;
        const item = items[i];
        const done = isPromise(item)
          ? item.then((v) => completeValue(run, field, type.ofType, v, itemPath))
          : completeValue(run, field, type.ofType, item, itemPath);
        if (isPromise(done)) {
          const index = i;
          (pending ??= []).push(done.then((v) => (out[index] = v)));
        } else {
          out[i] = done;
        }
      }
    } catch (e) {
      abandon(pending, e);
    }
    return pending ? Promise.all(pending).then(() => out) : out;
  }
  if (field.sub) {
    if (typeof value !== 'object') bail();
    return completeObject(run, field.sub, value, path);
  }
  const serialized = (type as GraphQLLeafType).serialize(value);
  if (serialized === undefined) bail();
  return serialized;
}

function completeObject(run: Run, plan: ObjectPlan, source: unknown, path: Path | undefined): unknown {
  const result: Record<string, unknown> = {};
  let pending: PromiseLike<unknown>[] | undefined;
  try {
    fill(run, plan, source, path, result, (p) => (pending ??= []).push(p));
  } catch (e) {
    abandon(pending, e);
  }
  return pending ? Promise.all(pending).then(() => result) : result;
}

function fill(
  run: Run,
  plan: ObjectPlan,
  source: unknown,
  path: Path | undefined,
  result: Record<string, unknown>,
  wait: (p: PromiseLike<unknown>) => void,
): void {
  for (const field of plan.fields) {
    if (field.name === '__typename') {
      result[field.key] = plan.type.name;
      continue;
    }
    const fieldPath = plan.needsPath ? { prev: path, key: field.key, typename: plan.type.name } : undefined;
    let value: unknown;
    if (field.resolve) {
      const args = field.staticArgs ?? getArgumentValues(field.def, field.nodes[0] as FieldNode, run.variables);
      const info: GraphQLResolveInfo = {
        fieldName: field.name,
        fieldNodes: field.nodes,
        returnType: field.type,
        parentType: field.parentType,
        path: fieldPath as GraphQLResolveInfo['path'],
        schema: run.schema,
        fragments: run.fragments,
        rootValue: run.rootValue,
        operation: run.operation,
        variableValues: run.variables,
        [plannedExecution]: true,
      } as GraphQLResolveInfo;
      value = field.resolve(source, args, run.context, info);
    } else {
      value = source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[field.name] : undefined;
      // graphql-js' default resolver would call it; leave that to graphql-js
      if (typeof value === 'function') bail();
    }
    const done = isPromise(value)
      ? value.then((v) => completeValue(run, field, field.type, v, fieldPath))
      : completeValue(run, field, field.type, value, fieldPath);
    if (isPromise(done)) {
      // keep the selection's key order: the slot now, the value when it comes
      result[field.key] = null;
      wait(done.then((v) => (result[field.key] = v)));
    } else {
      result[field.key] = done;
    }
  }
}

/** Whether a validated operation is executed by the plan (true) or entirely by graphql-js (false). */
export function takesFastPath(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  return planFor(schema, document, operation) !== null;
}

export interface ExecuteArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variableValues?: Record<string, unknown> | null;
  contextValue: unknown;
  rootValue?: unknown;
}

/** Executes one operation: planned and fast when it is plain success, else (and for all else) by graphql-js. */
export async function fastExecute(args: ExecuteArgs): Promise<ExecutionResult> {
  const { schema, document, operation, contextValue, rootValue } = args;
  const reference = async () => {
    const result = await execute({
      schema,
      document,
      rootValue,
      contextValue,
      variableValues: args.variableValues,
      operationName: operation.name?.value,
    });
    // the same text as the planned path writes (graphql-js' answers are rare, the search is cheap)
    if (result.data && containsRawJson(result.data)) markRawJsonAnswer(result.data);
    return result;
  };
  const plan = planFor(schema, document, operation);
  if (!plan) return reference();
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  if (coerced.errors) return reference();
  const run: Run = {
    schema,
    operation,
    fragments: plan.fragments,
    variables: coerced.coerced,
    context: contextValue,
    rootValue,
    rawJson: false,
  };
  try {
    const completed = completeObject(run, plan.root, rootValue, undefined);
    const data = (isPromise(completed) ? await completed : completed) as Record<string, unknown>;
    if (run.rawJson) markRawJsonAnswer(data);
    return { data };
  } catch {
    return reference();
  }
}

/**
 * Plugs fastExecute into Apollo Server through its executor interface (`gateway`): parsing,
 * validation, the document cache, every plugin (limits, response cache, allowlist) and error
 * formatting stay Apollo's; only the execution of a validated operation is ours.
 */
const unresolvedOperation = (name: string | undefined) =>
  new GraphQLError(
    typeof name === 'string' ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.',
    {
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
    },
  );

export function executionGateway(schema: GraphQLSchema) {
  return {
    load: () =>
      Promise.resolve({
        executor: (request: {
          document: DocumentNode;
          operation?: OperationDefinitionNode;
          request: { variables?: Record<string, unknown>; operationName?: string };
          context: unknown;
        }) => {
          // Apollo leaves "which operation?" to the executor (graphql-js reports it from execute)
          if (!request.operation) throw unresolvedOperation(request.request.operationName);
          return fastExecute({
            schema,
            document: request.document,
            operation: request.operation,
            variableValues: request.request.variables,
            contextValue: request.context,
          });
        },
      }),
    onSchemaLoadOrUpdate: (callback: (schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) => {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    stop: () => Promise.resolve(),
  };
}
