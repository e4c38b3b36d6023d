import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { listServices, showService } from './service.service.js';
import { OzgTopic, OzgTopicKind, Service, ServiceKind, ServiceMaturity, ServiceMetric } from './service.type.js';

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
  ): Promise<ConnectionShape<Service>> {
    return toConnection<Service>(await listServices(ctx, { kind, topic, online, search, parent }, page));
  }

  @Query(() => Service, { description: 'One service by key, e.g. "ozg:10513" or "leika:99012001000000".' })
  service(@Arg('key') key: string, @Ctx() ctx: GraphQLContext): Promise<Service> {
    return showService(ctx, key) as unknown as Promise<Service>;
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

  @FieldResolver(() => [ServiceMetric], {
    description: 'Monthly case numbers, oldest first (counts of 1–4 withheld for anonymous readers).',
  })
  metrics(@Root() service: Service, @Ctx() ctx: GraphQLContext): Promise<ServiceMetric[]> {
    return ctx.loaders.serviceMetrics.load(service.key);
  }
}
