import type { Pool } from 'pg';
import type { Role } from '../access/index.js';
import type { Logger } from '../logger.js';
import { executeAs } from './graphql.js';

type Db = { pool: Pool; log: Logger };

/** An error of a GraphQL answer as tests compare it: its stable code (or INTERNAL) and message. */
export class GraphQLAnswerError extends Error {
  constructor(
    readonly codes: string[],
    message: string,
  ) {
    super(message);
  }
}

/** The stable code of an error of graphql-js' own execution (AppErrors carry it as `code`). */
export function codeOf(e: { extensions?: Record<string, unknown>; originalError?: unknown }): string {
  const original = e.originalError as { code?: unknown } | undefined;
  const code = e.extensions?.code ?? original?.code;
  if (typeof code === 'string') return code;
  // graphql-js' own request errors (validation, variable coercion) carry no code when run without Apollo
  return original === undefined ? 'GRAPHQL_VALIDATION_FAILED' : 'INTERNAL';
}

/** Runs one operation; throws a GraphQLAnswerError naming the codes when the answer has errors. */
export async function queryAs<T = Record<string, unknown>>(
  db: Db,
  role: Role,
  source: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const result = await executeAs(db, role, source, variables);
  if (result.errors?.length) {
    const codes = result.errors.map((e) => codeOf(e as never));
    throw new GraphQLAnswerError(codes, result.errors.map((e, i) => `${codes[i]}: ${e.message}`).join('; '));
  }
  return result.data as T;
}

/** The codes a query is refused with (empty when it answers without errors). */
export async function refusalOf(db: Db, role: Role, source: string, variables?: Record<string, unknown>): Promise<string[]> {
  try {
    await queryAs(db, role, source, variables);
    return [];
  } catch (e) {
    if (e instanceof GraphQLAnswerError) return e.codes;
    throw e;
  }
}

export interface ConnectionQuery {
  /** the connection field, e.g. "projects" */
  connection: string;
  /** further arguments, e.g. "orderBy: TITLE_ASC, filter: $filter" */
  args?: string;
  /** declarations of the variables args uses, e.g. "$filter: ProjectFilter" */
  declarations?: string;
  variables?: Record<string, unknown>;
  /** the node field that identifies a node */
  key?: string;
}

/** One page of a connection: the keys of its nodes, as a viewer of `role` sees them. */
export async function keysAs(db: Db, role: Role, q: ConnectionQuery, first = 100): Promise<string[]> {
  const key = q.key ?? 'key';
  const decl = q.declarations ? `(${q.declarations})` : '';
  const data = await queryAs<Record<string, { nodes: Record<string, string>[] }>>(
    db,
    role,
    `query ${decl} { c: ${q.connection}(first: ${first}${q.args ? `, ${q.args}` : ''}) { nodes { ${key} } } }`,
    q.variables,
  );
  return (data.c?.nodes ?? []).map((n) => n[key] ?? '');
}

/**
 * Walks a connection page by page, forward with first/after and backward with last/before, and
 * returns the keys in order; fails when the two walks disagree or a page repeats a key — what
 * cursors that lose the sort key would do.
 */
export async function walkAs(db: Db, role: Role, q: ConnectionQuery, pageSize: number): Promise<string[]> {
  const key = q.key ?? 'key';
  const decls = ['$cursor: String', ...(q.declarations ? [q.declarations] : [])].join(', ');
  const walk = async (forward: boolean) => {
    const keys: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const paging: string = forward ? `first: ${pageSize}, after: $cursor` : `last: ${pageSize}, before: $cursor`;
      const data: Record<string, { nodes: Record<string, string>[]; pageInfo: Record<string, unknown> }> = await queryAs(
        db,
        role,
        `query (${decls}) { c: ${q.connection}(${paging}${q.args ? `, ${q.args}` : ''}) {
           nodes { ${key} } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
        { ...q.variables, cursor },
      );
      const page = data.c;
      if (!page) throw new Error(`no connection ${q.connection}`);
      const nodes = page.nodes.map((n) => n[key] ?? '');
      if (forward) keys.push(...nodes);
      else keys.unshift(...nodes);
      const more = forward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
      if (!more) return keys;
      cursor = (forward ? page.pageInfo.endCursor : page.pageInfo.startCursor) as string;
    }
    throw new Error('connection does not end');
  };
  const forward = await walk(true);
  const backward = await walk(false);
  if (new Set(forward).size !== forward.length) throw new Error(`a key repeats across pages: ${forward.join(', ')}`);
  if (forward.join('\n') !== backward.join('\n')) throw new Error(`forward ${forward.join(', ')} ≠ backward ${backward.join(', ')}`);
  return forward;
}
