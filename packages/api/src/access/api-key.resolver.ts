import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { ApiKey, CreatedApiKey } from '../runs/etl.type.js';
import { approveApiKeyRequest, listApiKeyRequests, rejectApiKeyRequest } from './api-key-request.service.js';
import { apiKeyUsage, rotateApiKey } from './api-key.service.js';
import { ApiKeyRequest, ApiKeyUsageDay, ApprovedApiKeyRequest } from './api-key.type.js';

/**
 * Self-service keys for admins (issue 10): the developers' requests, approving and rejecting
 * them, rotating a key, and a key's use per day. Creating, listing and revoking keys are in
 * AdminResolver. Developers request and collect keys on the portal (/entwickler/schluessel).
 */
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => [ApiKeyUsageDay], {
    description: 'Requests per day over the last `days` days, newest first (days without requests left out).',
  })
  usage(
    @Root() key: ApiKey,
    @Ctx() ctx: GraphQLContext,
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
  ): Promise<ApiKeyUsageDay[]> {
    return apiKeyUsage(ctx, key.id, days);
  }

  @Query(() => [ApiKeyRequest], { description: 'Key requests from the portal, undecided first (admin).' })
  apiKeyRequests(
    @Ctx() ctx: GraphQLContext,
    @Arg('status', () => String, { nullable: true, description: 'pending, approved or rejected' }) status?: string | null,
  ): Promise<ApiKeyRequest[]> {
    return listApiKeyRequests(ctx, { status });
  }

  @Mutation(() => ApprovedApiKeyRequest, {
    description: 'Approves a key request (admin): a developer key is issued, which its requester collects once with the status token.',
  })
  approveApiKeyRequest(@Arg('id') id: string, @Ctx() ctx: GraphQLContext): Promise<ApprovedApiKeyRequest> {
    return approveApiKeyRequest(ctx, id) as Promise<ApprovedApiKeyRequest>;
  }

  @Mutation(() => ApiKeyRequest, { description: 'Rejects a key request with a reason the requester reads (admin).' })
  rejectApiKeyRequest(@Arg('id') id: string, @Arg('reason') reason: string, @Ctx() ctx: GraphQLContext): Promise<ApiKeyRequest> {
    return rejectApiKeyRequest(ctx, id, reason);
  }

  @Mutation(() => CreatedApiKey, {
    description:
      'Gives a key a new secret (admin): same id, name, role and usage; the old secret is refused at once here, within 30 s everywhere. The new key is in the answer once.',
  })
  rotateApiKey(@Arg('id', () => Int) id: number, @Ctx() ctx: GraphQLContext): Promise<CreatedApiKey> {
    return rotateApiKey(ctx, id) as Promise<CreatedApiKey>;
  }
}
