import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { OrgUnit } from '../org/org-unit.type.js';
import { Lineage, lineageOf } from '../graphql/lineage.js';
import { listInitiatives, listNavigatorFields, listPillars, showInitiative } from './strategy.service.js';
import { Initiative, NavigatorField, Pillar, WorkStatus } from './strategy.type.js';
import { InitiativeFilter, InitiativeOrderBy, initiativeSorts } from './strategy.filter.js';
import type { EntityFilter } from '../domain/filter.js';

export const InitiativeConnection = connectionType(Initiative, 'Initiative');

const lines = (text: string) => (text === '' ? [] : text.split('\n'));
const codes = (text: string) => (text === '' ? [] : text.split(' '));

@Resolver(() => Pillar)
export class PillarResolver {
  @Query(() => [Pillar], { description: 'The four pillars of the strategy.' })
  pillars(@Ctx() ctx: GraphQLContext): Promise<Pillar[]> {
    return listPillars(ctx) as unknown as Promise<Pillar[]>;
  }

  @FieldResolver(() => ID)
  id(@Root() pillar: Pillar): string {
    return toGlobalId('Pillar', pillar.key);
  }

  @FieldResolver(() => [NavigatorField], { description: 'Navigator fields the strategy assigns to this pillar.' })
  async fields(@Root() pillar: Pillar, @Ctx() ctx: GraphQLContext): Promise<NavigatorField[]> {
    const all = (await listNavigatorFields(ctx)) as unknown as NavigatorField[];
    return all.filter((f) => f.pillarKey === pillar.key);
  }
}

@Resolver(() => NavigatorField)
export class NavigatorFieldResolver {
  @Query(() => [NavigatorField], { description: 'The six fields of the strategy navigator, in the appendix order.' })
  navigatorFields(@Ctx() ctx: GraphQLContext): Promise<NavigatorField[]> {
    return listNavigatorFields(ctx) as unknown as Promise<NavigatorField[]>;
  }

  @FieldResolver(() => ID)
  id(@Root() field: NavigatorField): string {
    return toGlobalId('NavigatorField', field.key);
  }

  @FieldResolver(() => Pillar, { nullable: true })
  pillar(@Root() field: NavigatorField, @Ctx() ctx: GraphQLContext): Promise<Pillar | null> | null {
    return field.pillarKey ? (ctx.loaders.pillar.load(field.pillarKey) as Promise<Pillar | null>) : null;
  }

  @FieldResolver(() => InitiativeConnection)
  async initiatives(
    @Root() field: NavigatorField,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionShape<Initiative>> {
    return toConnection<Initiative>(await listInitiatives(ctx, { fieldKey: field.key }, page));
  }
}

@Resolver(() => Initiative)
export class InitiativeResolver {
  @Query(() => InitiativeConnection, { description: 'The initiatives (Vorhaben) of the strategy appendix, by key.' })
  async initiatives(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('field', () => String, { nullable: true, description: 'Only this navigator field (key, e.g. "ozg").' }) field?: string | null,
    @Arg('status', () => WorkStatus, { nullable: true }) status?: WorkStatus | null,
    @Arg('orgUnit', () => String, {
      nullable: true,
      description: 'Only initiatives this org unit (code) is responsible for or involved in.',
    })
    orgUnit?: string | null,
    @Arg('filter', () => InitiativeFilter, { nullable: true, description: 'Conditions with operators, across relations.' })
    filterInput?: InitiativeFilter | null,
    @Arg('orderBy', () => InitiativeOrderBy, { nullable: true, defaultValue: InitiativeOrderBy.KEY_ASC }) orderBy?: InitiativeOrderBy,
  ): Promise<ConnectionShape<Initiative>> {
    return toConnection<Initiative>(
      await listInitiatives(ctx, { fieldKey: field, status, orgUnit }, page, {
        where: filterInput as EntityFilter | null | undefined,
        sort: initiativeSorts[orderBy ?? InitiativeOrderBy.KEY_ASC],
      }),
    );
  }

  @Query(() => Initiative, { description: 'One initiative by key (V01–V33).' })
  initiative(@Arg('key') key: string, @Ctx() ctx: GraphQLContext): Promise<Initiative> {
    return showInitiative(ctx, key) as unknown as Promise<Initiative>;
  }

  @FieldResolver(() => ID)
  id(@Root() initiative: Initiative): string {
    return toGlobalId('Initiative', initiative.key);
  }

  @FieldResolver(() => NavigatorField)
  async field(@Root() initiative: Initiative, @Ctx() ctx: GraphQLContext): Promise<NavigatorField> {
    return (await ctx.loaders.field.load(initiative.fieldKey)) as unknown as NavigatorField;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'Responsible org unit, where the document names one that is known.' })
  responsibleOrgUnit(@Root() initiative: Initiative, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> | null {
    return initiative.responsibleOrgUnit ? (ctx.loaders.orgUnit.load(initiative.responsibleOrgUnit) as Promise<OrgUnit | null>) : null;
  }

  @FieldResolver(() => [OrgUnit], { description: 'Org units involved (Beteiligt).' })
  async involvedOrgUnits(@Root() initiative: Initiative, @Ctx() ctx: GraphQLContext): Promise<OrgUnit[]> {
    const units = await ctx.loaders.orgUnit.loadMany(codes(initiative.involvedOrgUnits));
    return units.filter((u) => u !== null && !(u instanceof Error)) as unknown as OrgUnit[];
  }

  @FieldResolver(() => Lineage, { description: 'Where this initiative comes from.' })
  async lineage(@Root() initiative: Initiative, @Ctx() ctx: GraphQLContext): Promise<Lineage> {
    const run = initiative.lastRunId === null ? null : await ctx.loaders.run.load(initiative.lastRunId);
    return lineageOf(run, initiative.lastRunId, initiative.sourcePosition);
  }

  @FieldResolver(() => [String], { description: 'Focus points (Schwerpunkte), one per item.' })
  focusPoints(@Root() initiative: Initiative): string[] {
    return lines(initiative.focusPoints);
  }

  @FieldResolver(() => [String], { description: 'Expected benefits (Nutzen), one per item.' })
  benefits(@Root() initiative: Initiative): string[] {
    return lines(initiative.benefits);
  }
}
