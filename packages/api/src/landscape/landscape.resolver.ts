import { Arg, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { internalField } from '../procedures/procedure.service.js';
import { Procedure } from '../procedures/procedure.type.js';
import {
  endOfLifeOutlook,
  landscapeSummary,
  procedureHistory,
  procedureNeighbours,
  rankProcedures,
  replacementImpact,
} from './landscape.service.js';
import {
  EndOfLifeOutlook,
  ImpactDirection,
  ImpactedProcedure,
  LandscapeGroup,
  LandscapeGrouping,
  ProcedureDependency,
  ProcedureImpact,
  ProcedureNeighbour,
  ProcedureSnapshot,
} from './landscape.type.js';

const STICHTAG = 'YYYY-MM-DD, not after today; default today.';

@Resolver()
export class LandscapeResolver {
  @Query(() => ProcedureImpact, {
    description:
      'IT-Bebauung: what replacing a procedure affects — every procedure and service reachable through interfaces (steering role).',
  })
  procedureImpact(
    @Ctx() ctx: GraphQLContext,
    @Arg('key') key: string,
    @Arg('direction', () => ImpactDirection, { nullable: true, defaultValue: ImpactDirection.downstream }) direction?: ImpactDirection,
    @Arg('maxDepth', () => Int, { nullable: true, defaultValue: 10, description: 'Interfaces to follow at most (1–25).' })
    maxDepth?: number,
  ): Promise<ProcedureImpact> {
    return replacementImpact(ctx, { key, direction, maxDepth }) as Promise<ProcedureImpact>;
  }

  @Query(() => [ProcedureDependency], {
    description: 'IT-Bebauung: procedures ranked by the services and interfaces that depend on them (steering role).',
  })
  procedureRanking(
    @Ctx() ctx: GraphQLContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 20, description: '1–1000' }) limit?: number,
  ): Promise<ProcedureDependency[]> {
    return rankProcedures(ctx, { limit });
  }

  @Query(() => [ProcedureNeighbour], { description: 'IT-Bebauung: the direct neighbours of a procedure (steering role).' })
  procedureNeighbours(@Ctx() ctx: GraphQLContext, @Arg('key') key: string): Promise<ProcedureNeighbour[]> {
    return procedureNeighbours(ctx, key);
  }

  @Query(() => [ProcedureSnapshot], { description: 'IT-Bebauung: IST and SOLL of a procedure over time, oldest first (steering role).' })
  procedureHistory(@Ctx() ctx: GraphQLContext, @Arg('key') key: string): Promise<ProcedureSnapshot[]> {
    return procedureHistory(ctx, key);
  }

  @Query(() => EndOfLifeOutlook, {
    description:
      'IT-Bebauung: procedures reaching their end of life in the next months (default 24), their cost and services (steering role).',
  })
  procedureEndOfLife(
    @Ctx() ctx: GraphQLContext,
    @Arg('stichtag', () => String, { nullable: true, description: STICHTAG }) stichtag?: string | null,
    @Arg('months', () => Int, { nullable: true, defaultValue: 24 }) months?: number,
    @Arg('orgUnit', () => String, { nullable: true, description: 'Only procedures this org unit or one of its sub-units owns.' })
    orgUnit?: string | null,
  ): Promise<EndOfLifeOutlook> {
    return endOfLifeOutlook(ctx, { stichtag, months, orgUnit });
  }

  @Query(() => [LandscapeGroup], {
    description:
      'IT-Bebauung by owning org unit or lifecycle phase: counts for everyone; services, cost and ending procedures for the steering role.',
  })
  landscape(
    @Ctx() ctx: GraphQLContext,
    @Arg('by', () => LandscapeGrouping) by: LandscapeGrouping,
    @Arg('stichtag', () => String, { nullable: true, description: STICHTAG }) stichtag?: string | null,
  ): Promise<LandscapeGroup[]> {
    return landscapeSummary(ctx, { by, stichtag });
  }
}

@Resolver(() => ImpactedProcedure)
export class ImpactedProcedureResolver {
  @FieldResolver(() => Procedure, { nullable: true, description: 'The procedure itself.' })
  procedure(@Root() row: ImpactedProcedure, @Ctx() ctx: GraphQLContext): Promise<Procedure | null> {
    return ctx.loaders.procedure.load(row.key) as unknown as Promise<Procedure | null>;
  }
}

@Resolver(() => LandscapeGroup)
export class LandscapeGroupResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'Services handled by these procedures (internal).' })
  services(@Root() g: LandscapeGroup, @Ctx() ctx: GraphQLContext): number | null {
    return internalField(ctx, g.services ?? null);
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Annual cost in EUR (internal).' })
  annualCost(@Root() g: LandscapeGroup, @Ctx() ctx: GraphQLContext): number | null {
    return internalField(ctx, g.annualCost ?? null);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Procedures reaching their end of life within 24 months of the Stichtag, or past it (internal).',
  })
  endingWithin24Months(@Root() g: LandscapeGroup, @Ctx() ctx: GraphQLContext): number | null {
    return internalField(ctx, g.endingWithin24Months ?? null);
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Their annual cost in EUR (internal).' })
  costEndingWithin24Months(@Root() g: LandscapeGroup, @Ctx() ctx: GraphQLContext): number | null {
    return internalField(ctx, g.costEndingWithin24Months ?? null);
  }
}
