import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { listOrgUnits, showOrgUnit } from './org-unit.service.js';
import { OrgUnit } from './org-unit.type.js';
import { OrgUnitFilter, OrgUnitOrderBy } from './org-unit.filter.js';
import type { EntityFilter } from '../domain/filter.js';

export const OrgUnitConnection = connectionType(OrgUnit, 'OrgUnit');

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  @Query(() => OrgUnitConnection, { description: 'Org units by code; rootsOnly gives the top of the tree.' })
  async orgUnits(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('rootsOnly', () => Boolean, { nullable: true, description: 'Only units without a parent (Ämter and named offices).' })
    rootsOnly?: boolean | null,
    @Arg('parent', () => String, { nullable: true, description: 'Only the direct children of this code.' }) parent?: string | null,
    @Arg('filter', () => OrgUnitFilter, { nullable: true, description: 'Conditions with operators, across parent and children.' })
    filterInput?: OrgUnitFilter | null,
    @Arg('orderBy', () => OrgUnitOrderBy, { nullable: true, defaultValue: OrgUnitOrderBy.CODE_ASC }) orderBy?: OrgUnitOrderBy,
  ): Promise<ConnectionShape<OrgUnit>> {
    return toConnection<OrgUnit>(
      await listOrgUnits(ctx, { rootsOnly, parentCode: parent }, page, { where: filterInput as EntityFilter | null | undefined, orderBy }),
    );
  }

  @Query(() => OrgUnit, { description: 'One org unit by code.' })
  orgUnit(@Arg('code') code: string, @Ctx() ctx: GraphQLContext): Promise<OrgUnit> {
    return showOrgUnit(ctx, code) as unknown as Promise<OrgUnit>;
  }

  @FieldResolver(() => ID)
  id(@Root() unit: OrgUnit): string {
    return toGlobalId('OrgUnit', unit.code);
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  parent(@Root() unit: OrgUnit, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> | null {
    return unit.parentCode ? (ctx.loaders.orgUnit.load(unit.parentCode) as Promise<OrgUnit | null>) : null;
  }

  @FieldResolver(() => [OrgUnit])
  children(@Root() unit: OrgUnit, @Ctx() ctx: GraphQLContext): Promise<OrgUnit[]> {
    return ctx.loaders.orgUnitChildren.load(unit.code) as unknown as Promise<OrgUnit[]>;
  }
}
