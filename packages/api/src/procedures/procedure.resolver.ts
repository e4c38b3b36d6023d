import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { OrgUnit } from '../org/org-unit.type.js';
import { internalField, listProcedures, showProcedure } from './procedure.service.js';
import { Procedure, ProcedureInterface } from './procedure.type.js';
import { ProcedureFilter, ProcedureOrderBy } from './procedure.filter.js';
import type { EntityFilter } from '../domain/filter.js';

export const ProcedureConnection = connectionType(Procedure, 'Procedure');

@Resolver(() => Procedure)
export class ProcedureResolver {
  @Query(() => ProcedureConnection, { description: 'Specialist procedures (Fachverfahren) by key.' })
  async procedures(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('lifecyclePhase', () => String, { nullable: true }) lifecyclePhase?: string | null,
    @Arg('dmsConnection', () => String, { nullable: true }) dmsConnection?: string | null,
    @Arg('orgUnit', () => String, { nullable: true, description: 'Only procedures this org unit (code) owns.' }) orgUnit?: string | null,
    @Arg('filter', () => ProcedureFilter, {
      nullable: true,
      description: 'Conditions with operators; conditions on internal fields need the steering role.',
    })
    filterInput?: ProcedureFilter | null,
    @Arg('orderBy', () => ProcedureOrderBy, { nullable: true, defaultValue: ProcedureOrderBy.KEY_ASC }) orderBy?: ProcedureOrderBy,
  ): Promise<ConnectionShape<Procedure>> {
    return toConnection<Procedure>(
      await listProcedures(ctx, { lifecyclePhase, dmsConnection, orgUnit }, page, {
        where: filterInput as EntityFilter | null | undefined,
        orderBy,
      }),
    );
  }

  @Query(() => Procedure, { description: 'One procedure by key.' })
  procedure(@Arg('key') key: string, @Ctx() ctx: GraphQLContext): Promise<Procedure> {
    return showProcedure(ctx, key) as unknown as Promise<Procedure>;
  }

  @FieldResolver(() => ID)
  id(@Root() procedure: Procedure): string {
    return toGlobalId('Procedure', procedure.key);
  }

  @FieldResolver(() => [OrgUnit], { description: 'Org units owning the procedure.' })
  async ownerOrgUnits(@Root() procedure: Procedure, @Ctx() ctx: GraphQLContext): Promise<OrgUnit[]> {
    const codes = procedure.ownerOrgUnits === '' ? [] : procedure.ownerOrgUnits.split(' ');
    const units = await ctx.loaders.orgUnit.loadMany(codes);
    return units.filter((u) => u !== null && !(u instanceof Error)) as unknown as OrgUnit[];
  }

  // Internal fields: refused one by one (FORBIDDEN/UNAUTHENTICATED on the field, the rest answers).
  @FieldResolver(() => Number, { nullable: true, description: 'Annual cost in EUR (internal).' })
  annualCost(@Root() p: Procedure, @Ctx() ctx: GraphQLContext): number | null {
    return internalField(ctx, p.annualCost ?? null);
  }

  @FieldResolver(() => Number, { nullable: true, description: 'Number of users (internal).' })
  users(@Root() p: Procedure, @Ctx() ctx: GraphQLContext): number | null {
    return internalField(ctx, p.users ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'SOLL: keep, replace, retire or consolidate (internal).' })
  targetAction(@Root() p: Procedure, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, p.targetAction ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'SOLL connection to the DMS (internal).' })
  targetDmsConnection(@Root() p: Procedure, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, p.targetDmsConnection ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'SOLL target date (internal).' })
  targetDate(@Root() p: Procedure, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, p.targetDate ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Planned end of use (internal).' })
  endOfLifeDate(@Root() p: Procedure, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, p.endOfLifeDate ?? null);
  }

  @FieldResolver(() => [ProcedureInterface], { nullable: true, description: 'Interfaces to and from other procedures (internal).' })
  async interfaces(@Root() p: Procedure, @Ctx() ctx: GraphQLContext): Promise<ProcedureInterface[]> {
    return ctx.loaders.procedureInterfaces.load(p.key);
  }
}
