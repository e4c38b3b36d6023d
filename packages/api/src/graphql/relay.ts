import { ClassType, Field, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import { ValidationError } from '../errors/index.js';
import type { Page } from '../domain/paginate.js';

/** Global object identification: base64url("Type:key"), opaque to clients. */
export function toGlobalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

export function fromGlobalId(id: string): { type: string; key: string } {
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw ValidationError.of('id', 'not a global id');
  return { type: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

@InterfaceType({ description: 'An object with a global id (Relay).', resolveType: (value: { __typename?: string }) => value.__typename })
export abstract class Node {
  @Field(() => ID, { description: 'Global id, stable across releases' })
  id!: string;
}

// simpleResolvers (here and on the row types of long lists: milestones, metrics, features, KPI
// values): plain data fields resolve with graphql-js' default resolver instead of a type-graphql
// wrapper per field and row — measurable on pages of hundreds of rows (bench/graphql).
@ObjectType({ description: 'Paging state of a connection (Relay).', simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/** Builds the Edge and Connection object types of a node type. */
export function connectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects (Relay connection).`, simpleResolvers: true })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [nodeType], { description: 'The nodes of the edges, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Count of all matching objects; costs an extra query, ask only when needed.' })
    totalCount!: number;
  }
  return Connection;
}

/** Shapes a domain page as a connection; totalCount is a getter, so its query runs only when selected. */
export function toConnection<T>(page: Page<object>): ConnectionShape<T> {
  // edges and cursors are built only when selected (getters): most clients ask for nodes
  let edges: { cursor: string; node: T }[] | undefined;
  return {
    get edges() {
      return (edges ??= page.nodes.map((node, i) => ({ cursor: page.cursors[i] ?? '', node: node as T })));
    },
    nodes: page.nodes as T[],
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return page.cursors[0] ?? null;
      },
      get endCursor() {
        return page.cursors[page.cursors.length - 1] ?? null;
      },
    },
    get totalCount() {
      return page.totalCount();
    },
  };
}
