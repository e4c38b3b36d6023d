import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { showProject } from '../projects/project.service.js';
import { showInitiative } from '../strategy/strategy.service.js';
import { showOrgUnit } from '../org/org-unit.service.js';
import { showService } from '../services/service.service.js';
import { NotFoundError } from '../errors/index.js';
import { showProcedure } from '../procedures/procedure.service.js';
import type { GraphQLContext } from './context.js';
import { fromGlobalId, Node } from './relay.js';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id (Relay).' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<unknown> {
    const { type, key } = fromGlobalId(id);
    try {
      switch (type) {
        case 'Initiative':
          return await showInitiative(ctx, key);
        case 'Project':
          return await showProject(ctx, key);
        case 'OrgUnit':
          return await showOrgUnit(ctx, key);
        case 'Pillar':
          return await ctx.loaders.pillar.load(key);
        case 'Service':
          return await showService(ctx, key);
        case 'NavigatorField':
          return await ctx.loaders.field.load(key);
        case 'Procedure':
          return await showProcedure(ctx, key);
        default:
          return null;
      }
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }
}
