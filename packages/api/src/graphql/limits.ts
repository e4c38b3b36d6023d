import {
  GraphQLError,
  Kind,
  type ArgumentNode,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';

/** Limits on what one GraphQL request may ask for; refused requests get a stable code. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxComplexity: number;
}

export const defaultLimits: QueryLimits = { maxDepth: 12, maxAliases: 30, maxComplexity: 20_000 };

/** The codes of refused requests, passed to clients as they are. */
export const limitCodes = ['QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'QUERY_TOO_COMPLEX'];

function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** Depth of the deepest selection, following fragments (a fragment cycle is a validation error anyway). */
function depthOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let max = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      depth = selection.name.value.startsWith('__') ? 0 : 1 + depthOf(selection.selectionSet, fragments, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment && !seen.has(name)) depth = depthOf(fragment.selectionSet, fragments, new Set([...seen, name]));
    }
    max = Math.max(max, depth);
  }
  return max;
}

/** Validation rule: refuses operations nested deeper than `max` fields (QUERY_TOO_DEEP). */
export function depthLimitRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const document = context.getDocument();
    const fragments = new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, fragments, new Set());
        if (depth > max) context.reportError(limitError('QUERY_TOO_DEEP', `Query depth ${depth} exceeds the limit of ${max}`));
      },
    };
  };
}

/** Validation rule: refuses documents with more than `max` aliased fields (alias bombs; TOO_MANY_ALIASES). */
export function aliasLimitRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > max) context.reportError(limitError('TOO_MANY_ALIASES', `${aliases} aliases exceed the limit of ${max}`));
        },
      },
    };
  };
}

/**
 * Connections cost their page size times their children: `first: 100` of something with ten
 * fields costs about a thousand. Lists without page arguments cost their children once.
 */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  if (size === undefined) return undefined;
  return 1 + Math.max(size, 1) * childComplexity;
};

/**
 * The variables a document's cost can depend on: those given to `first`/`last` (the only
 * arguments connectionEstimator reads) and to directives (@skip/@include decide what is counted).
 * Keep in step with the estimators.
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const visitValue = (value: ValueNode, collect: boolean) => {
    if (value.kind === Kind.VARIABLE) {
      if (collect) names.add(value.name.value);
    } else if (value.kind === Kind.LIST) for (const v of value.values) visitValue(v, collect);
    else if (value.kind === Kind.OBJECT) for (const f of value.fields) visitValue(f.value, collect);
  };
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const n = node as { kind?: string; name?: { value: string }; value?: ValueNode; arguments?: readonly ArgumentNode[] };
    if (n.kind === Kind.DIRECTIVE) for (const a of n.arguments ?? []) visitValue(a.value, true);
    if (n.kind === Kind.ARGUMENT && n.value && (n.name?.value === 'first' || n.name?.value === 'last')) visitValue(n.value, true);
    for (const [key, child] of Object.entries(n)) if (key !== 'loc') walk(child);
  };
  walk(document);
  return [...names].sort();
}

/** Apollo plugin: refuses operations whose estimated cost exceeds `max` (QUERY_TOO_COMPLEX), before they run. */
export function complexityPlugin(schema: GraphQLSchema, max: number): ApolloServerPlugin {
  // A cost depends only on the document and the variables costVariables names: kept per parsed
  // document (Apollo reuses those), so a repeated shape — a page with another bbox or key, a
  // response-cache hit — is not costed again.
  const costs = new WeakMap<DocumentNode, { variables: string[]; known: Map<string, number> }>();
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({
          request,
          document,
          operation,
        }: {
          request: { variables?: Record<string, unknown>; operationName?: string };
          document: DocumentNode;
          operation?: OperationDefinitionNode;
        }) {
          // no operation of that name (or several and none named): Apollo answers
          // OPERATION_RESOLUTION_FAILURE next; graphql-query-complexity would throw a TypeError on it
          if (!operation) return Promise.resolve();
          let memo = costs.get(document);
          if (!memo) costs.set(document, (memo = { variables: costVariables(document), known: new Map<string, number>() }));
          const { known } = memo;
          // an omitted variable (its default applies) is not the same as an explicit null
          const values = memo.variables.map((v) => (request.variables && v in request.variables ? request.variables[v] : { unset: true }));
          const key = `${request.operationName ?? ''}\u0000${JSON.stringify(values)}`;
          let complexity = known.get(key);
          if (complexity === undefined) {
            try {
              complexity = getComplexity({
                schema,
                query: document,
                variables: request.variables ?? {},
                operationName: operation.name?.value,
                estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
              });
            } catch (e) {
              // variables that do not fit their types: coerced here first, so the client's error is ours to label
              if (!(e instanceof GraphQLError)) throw e;
              throw new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            }
            if (known.size >= 256) known.clear();
            known.set(key, complexity);
          }
          if (complexity > max) throw limitError('QUERY_TOO_COMPLEX', `Query cost ${complexity} exceeds the limit of ${max}`);
          return Promise.resolve();
        },
      });
    },
  };
}
