import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { internalField } from '../procedures/procedure.service.js';
import { programMonth } from './program.month.js';
import { programOverview } from './program.service.js';
import { ChangeCounts, OverdueMilestone, ProgramMonth, ProgramOverview, ProgramProject } from './program.type.js';

@Resolver(() => ProgramMonth)
export class ProgramResolver {
  @Query(() => ProgramOverview, {
    description:
      'The program: Vorhaben and projects per navigator field and pillar, driver projects, status (public; complete for the steering role).',
  })
  programOverview(
    @Ctx() ctx: GraphQLContext,
    @Arg('stichtag', () => String, { nullable: true, description: 'YYYY-MM-DD, not after today; default today.' }) stichtag?: string | null,
  ): Promise<ProgramOverview> {
    return programOverview(ctx, { stichtag });
  }

  @Query(() => ProgramMonth, {
    description: '"Geplantes und Erreichtes" of a month: changes, KPI changes, driver projects. Also as Atom: /programm/feed.atom.',
  })
  programMonth(
    @Ctx() ctx: GraphQLContext,
    @Arg('month', () => String, { nullable: true, description: 'YYYY-MM, not after the current month; default the current month.' })
    month?: string | null,
  ): Promise<ProgramMonth> {
    return programMonth(ctx, { month });
  }

  @FieldResolver(() => ChangeCounts)
  counts(@Root() m: ProgramMonth): ChangeCounts {
    return {
      erreicht: m.counts.erreicht ?? 0,
      geplant: m.counts.geplant ?? 0,
      verzoegert: m.counts['verzögert'] ?? 0,
      geaendert: m.counts['geändert'] ?? 0,
    };
  }

  @FieldResolver(() => [OverdueMilestone], { nullable: true, description: 'Milestones overdue at the end of the month (internal).' })
  overdueMilestones(@Root() m: ProgramMonth, @Ctx() ctx: GraphQLContext): OverdueMilestone[] | null {
    return internalField(ctx, m.overdueMilestones ?? null);
  }
}

@Resolver(() => ProgramProject)
export class ProgramProjectResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Due date (internal).' })
  dueDate(@Root() p: ProgramProject, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, p.dueDate ?? null);
  }

  @FieldResolver(() => [OverdueMilestone], { nullable: true, description: 'Milestones overdue on the Stichtag (internal).' })
  overdueMilestones(@Root() p: ProgramProject, @Ctx() ctx: GraphQLContext): OverdueMilestone[] | null {
    return internalField(ctx, p.overdueMilestones ?? null);
  }
}
