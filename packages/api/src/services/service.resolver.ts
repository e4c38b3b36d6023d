import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { listServices, showService } from './service.service.js';
import { attachRawList, rawListOf, rawListSelection, selectedFields, selects } from '../graphql/lookahead.js';
import { RawJson } from '../db/raw-json.js';
import { OzgTopic, OzgTopicKind, Service, ServiceKind, ServiceMaturity, ServiceMetric } from './service.type.js';
import { ServiceFilter, ServiceOrderBy } from './service.filter.js';
import { OrgUnit } from '../org/org-unit.type.js';
import { Procedure } from '../procedures/procedure.type.js';
import type { EntityFilter } from '../domain/filter.js';

export const ServiceConnection = connectionType(Service, 'Service');

@Resolver(() => Service)
export class ServiceResolver {
  @Query(() => ServiceConnection, {
    description: 'Administrative services of the OZG / LeiKa catalog, by key, with their topic and maturity (public data).',
  })
  async services(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('kind', () => ServiceKind, { nullable: true }) kind?: ServiceKind | null,
    @Arg('topic', () => String, {
      nullable: true,
      description: 'Only services of this Lebenslage or Themenfeld (key such as "themenfeld:2", or name).',
    })
    topic?: string | null,
    @Arg('online', () => Boolean, {
      nullable: true,
      description:
        'true: online in maturity model 1.1 (IST level ≥ 3); false: a known level below 3. Services without a level match neither.',
    })
    online?: boolean | null,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Text in the title (case and accents ignored), or an exact key, LeiKa key or OZG id.',
    })
    search?: string | null,
    @Arg('parent', () => String, { nullable: true, description: 'Only the LeiKa entries of this OZG service (its key, e.g. "ozg:10513").' })
    parent?: string | null,
    @Arg('filter', () => ServiceFilter, {
      nullable: true,
      description: 'Conditions with operators, across relations; conditions on internal fields need the steering role.',
    })
    filterInput?: ServiceFilter | null,
    @Arg('orderBy', () => ServiceOrderBy, { nullable: true, defaultValue: ServiceOrderBy.KEY_ASC }) orderBy?: ServiceOrderBy,
  ): Promise<ConnectionShape<Service>> {
    return toConnection<Service>(
      await listServices(ctx, { kind, topic, online, search, parent }, page, {
        where: filterInput as EntityFilter | null | undefined,
        orderBy,
      }),
    );
  }

  @Query(() => Service, { description: 'One service by key, e.g. "ozg:10513" or "leika:99012001000000".' })
  async service(@Arg('key') key: string, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<Service> {
    const raw = ctx.rawJson === true ? rawListSelection(info, ['metrics']) : undefined;
    const { __metrics: metrics, ...row } = await showService(ctx, key, {
      metrics: selects(info, ['metrics']),
      fields: selectedFields(info, []),
      metricsText: raw?.fields,
    });
    // the metrics as the answer's text, for this selection only: on the row, not in the loader
    if (raw && metrics instanceof RawJson) attachRawList(row, 'metrics', raw.node, metrics);
    // metrics fetched with the service: the loader answers from them without another statement
    else if (Array.isArray(metrics)) ctx.loaders.serviceMetrics.prime(row.key, metrics);
    return row as unknown as Service;
  }

  @FieldResolver(() => ID)
  id(@Root() service: Service): string {
    return toGlobalId('Service', service.key);
  }

  @FieldResolver(() => OzgTopic, { nullable: true, description: 'Its Lebenslage (with the Themenfeld as parent), or only a Themenfeld.' })
  topic(@Root() service: Service): OzgTopic | null {
    if (!service.topicKey || !service.topicKind || !service.topicName) return null;
    const field: OzgTopic | null =
      service.topicKind === OzgTopicKind.lebenslage && service.themenfeldKey && service.themenfeld
        ? { key: service.themenfeldKey, kind: OzgTopicKind.themenfeld, name: service.themenfeld, parent: null }
        : null;
    return { key: service.topicKey, kind: service.topicKind, name: service.topicName, parent: field };
  }

  @FieldResolver(() => Service, { nullable: true, description: 'The OZG service a LeiKa entry belongs to.' })
  parent(@Root() service: Service, @Ctx() ctx: GraphQLContext): Promise<Service | null> | null {
    return service.parentKey ? (ctx.loaders.service.load(service.parentKey) as unknown as Promise<Service | null>) : null;
  }

  @FieldResolver(() => [String], { description: 'Links of the Rechtsgrundlage (gesetze-im-internet.de and others).' })
  legalBasisUrls(@Root() service: Service): string[] {
    return service.legalBasisUrls ? service.legalBasisUrls.split(' ') : [];
  }

  @FieldResolver(() => [ServiceMaturity], {
    description: 'Current maturity levels (both models, IST and SOLL); with history: also the superseded ones.',
  })
  async maturity(
    @Root() service: Service,
    @Ctx() ctx: GraphQLContext,
    @Arg('history', () => Boolean, { defaultValue: false }) history: boolean,
  ): Promise<ServiceMaturity[]> {
    const rows = (await ctx.loaders.serviceMaturity.load(service.key)) as ServiceMaturity[];
    return history ? rows : rows.filter((r) => r.validTo === null);
  }

  // Internal fields: not in the public view; null with FORBIDDEN/UNAUTHENTICATED for others.
  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The responsible org unit (internal).' })
  async responsibleOrgUnit(@Root() service: Service, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> {
    const code = (await ctx.loaders.serviceInternals.load(service.key))?.responsibleOrgUnit;
    return code ? ((await ctx.loaders.orgUnit.load(code)) as OrgUnit | null) : null;
  }

  @FieldResolver(() => Procedure, { nullable: true, description: 'The specialist procedure that handles it (internal).' })
  async procedure(@Root() service: Service, @Ctx() ctx: GraphQLContext): Promise<Procedure | null> {
    const key = (await ctx.loaders.serviceInternals.load(service.key))?.procedureKey;
    return key ? ((await ctx.loaders.procedure.load(key)) as Procedure | null) : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Reuses an EfA ("Einer für Alle") implementation (internal).' })
  async efa(@Root() service: Service, @Ctx() ctx: GraphQLContext): Promise<boolean | null> {
    return (await ctx.loaders.serviceInternals.load(service.key))?.efa ?? null;
  }

  @FieldResolver(() => [ServiceMetric], {
    description: 'Monthly case numbers, oldest first (counts of 1–4 withheld for anonymous readers).',
  })
  metrics(@Root() service: Service, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<ServiceMetric[]> | RawJson {
    return rawListOf(service, info) ?? ctx.loaders.serviceMetrics.load(service.key);
  }
}
