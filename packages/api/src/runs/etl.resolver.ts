import { Arg, Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { issueApiKey, listApiKeys, revokeApiKey } from '../access/index.js';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, type ConnectionShape } from '../graphql/relay.js';
import { listEtlRuns, listQuarantine, showEtlRun, triggerEtlRun } from './etl.service.js';
import { ApiKey, ApiKeyRole, CreatedApiKey, EtlRun, QuarantinedRecord, QueuedRun } from './etl.type.js';

export const EtlRunConnection = connectionType(EtlRun, 'EtlRun');
export const QuarantinedRecordConnection = connectionType(QuarantinedRecord, 'QuarantinedRecord');

/** Operations for admins: ETL runs and their quarantine, API keys, triggering runs. */
@Resolver()
export class AdminResolver {
  @Query(() => EtlRunConnection, { description: 'ETL runs, newest first (admin).' })
  async etlRuns(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('source', () => String, { nullable: true }) source?: string | null,
    @Arg('status', () => String, { nullable: true }) status?: string | null,
  ): Promise<ConnectionShape<EtlRun>> {
    return toConnection<EtlRun>(await listEtlRuns(ctx, { source, status }, page));
  }

  @Query(() => EtlRun, { description: 'One ETL run (admin).' })
  etlRun(@Arg('id', () => Int) id: number, @Ctx() ctx: GraphQLContext): Promise<EtlRun> {
    return showEtlRun(ctx, id);
  }

  @Query(() => QuarantinedRecordConnection, { description: 'Records a run could not load, with position and reason (admin).' })
  async quarantine(
    @Arg('runId', () => Int) runId: number,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionShape<QuarantinedRecord>> {
    return toConnection<QuarantinedRecord>(await listQuarantine(ctx, runId, page));
  }

  @Query(() => [ApiKey], { description: 'All API keys (admin).' })
  apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKey[]> {
    return listApiKeys(ctx) as Promise<ApiKey[]>;
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates an API key (admin). The key is in the answer once and never stored.' })
  createApiKey(
    @Arg('name') name: string,
    @Arg('role', () => ApiKeyRole) role: ApiKeyRole,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreatedApiKey> {
    return issueApiKey(ctx, { name, role }) as Promise<CreatedApiKey>;
  }

  @Mutation(() => ApiKey, { description: 'Revokes an API key (admin); it stops working within 30 seconds everywhere.' })
  revokeApiKey(@Arg('id', () => Int) id: number, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return revokeApiKey(ctx, id) as Promise<ApiKey>;
  }

  @Mutation(() => QueuedRun, { description: 'Queues an ETL run of a source for the workers (admin).' })
  triggerEtlRun(@Arg('source') source: string, @Ctx() ctx: GraphQLContext): Promise<QueuedRun> {
    return triggerEtlRun(ctx, source);
  }
}
