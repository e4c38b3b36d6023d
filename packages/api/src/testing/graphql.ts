import { graphql, type ExecutionResult } from 'graphql';
import type { Pool } from 'pg';
import type { Role } from '../access/index.js';
import type { Logger } from '../logger.js';
import { createLoaders, type GraphQLContext } from '../graphql/context.js';
import { getSchema } from '../graphql/schema.js';

/** Runs one GraphQL operation against the schema as a viewer of `role`, without HTTP (domain-level tests). */
export async function executeAs(
  db: { pool: Pool; log: Logger },
  role: Role,
  source: string,
  variableValues?: Record<string, unknown>,
): Promise<ExecutionResult> {
  const ctx: GraphQLContext = { viewer: { role }, pool: db.pool, log: db.log, requestId: 'test', loaders: undefined as never };
  ctx.loaders = createLoaders(ctx);
  return graphql({ schema: await getSchema(), source, variableValues, contextValue: ctx });
}
