import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, type ConnectionShape } from '../graphql/relay.js';
import { OrgUnit } from '../org/org-unit.type.js';
import { internalField } from '../procedures/procedure.service.js';
import { Procedure } from '../procedures/procedure.type.js';
import { ImplementationStatus, Service } from '../services/service.type.js';
import { ozgMonthlyReport } from './monitoring.report.js';
import { listOzgServices, ozgForecast, ozgGaps, ozgOverview, ozgProgress, targetHistoryOf } from './monitoring.service.js';
import { removeServiceTarget, setServiceTarget } from './monitoring.targets.js';
import {
  OzgForecast,
  OzgLevels,
  OzgMonitoring,
  OzgMonthlyReport,
  OzgProgressPoint,
  OzgServiceStatus,
  OzgTarget,
} from './monitoring.type.js';

export const OzgServiceStatusConnection = connectionType(OzgServiceStatus, 'OzgServiceStatus');

const STICHTAG = 'YYYY-MM-DD, not after today; default today. The state at the end of that day (Europe/Berlin).';

function levels(stichtag: string, ist: number | null, soll: number | null, targetDate: string | null): OzgLevels {
  return { ist, soll, targetDate, targetMissed: targetDate !== null && soll !== null && targetDate <= stichtag && soll > (ist ?? -1) };
}

@Resolver(() => OzgServiceStatus)
export class OzgMonitoringResolver {
  @Query(() => OzgMonitoring, {
    description: 'OZG-Monitoring: services by implementation status, targets and missed targets as of a Stichtag.',
  })
  ozgMonitoring(
    @Ctx() ctx: GraphQLContext,
    @Arg('stichtag', () => String, { nullable: true, description: STICHTAG }) stichtag?: string | null,
  ): Promise<OzgMonitoring> {
    return ozgOverview(ctx, { stichtag });
  }

  @Query(() => OzgServiceStatusConnection, { description: 'The monitored services as of a Stichtag, by key.' })
  async ozgServices(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('stichtag', () => String, { nullable: true, description: STICHTAG }) stichtag?: string | null,
    @Arg('status', () => ImplementationStatus, { nullable: true }) status?: ImplementationStatus | null,
    @Arg('targetMissed', () => Boolean, {
      nullable: true,
      description: 'true: only the gap list; false: only services without a missed target.',
    })
    targetMissed?: boolean | null,
    @Arg('orgUnit', () => String, { nullable: true, description: 'Only services this org unit (code) is responsible for (steering role).' })
    orgUnit?: string | null,
  ): Promise<ConnectionShape<OzgServiceStatus>> {
    return toConnection<OzgServiceStatus>(await listOzgServices(ctx, { stichtag, filter: { status, targetMissed, orgUnit } }, page));
  }

  @Query(() => [OzgServiceStatus], {
    description:
      'The gap list: services whose target date passed (on or before the Stichtag) without the target level; longest overdue first.',
  })
  ozgGaps(
    @Ctx() ctx: GraphQLContext,
    @Arg('stichtag', () => String, { nullable: true, description: STICHTAG }) stichtag?: string | null,
  ): Promise<OzgServiceStatus[]> {
    return ozgGaps(ctx, { stichtag }) as Promise<OzgServiceStatus[]>;
  }

  @Query(() => [OzgProgressPoint], {
    description: 'OZG services online per month, from the KPI snapshots (services.online), oldest first.',
  })
  ozgProgress(
    @Ctx() ctx: GraphQLContext,
    @Arg('stichtag', () => String, { nullable: true, description: STICHTAG }) stichtag?: string | null,
    @Arg('months', () => Int, { nullable: true, defaultValue: 24, description: 'How many months with data (1–120).' }) months?: number,
  ): Promise<OzgProgressPoint[]> {
    return ozgProgress(ctx, { stichtag, months });
  }

  @Query(() => OzgForecast, {
    description: 'When the open OZG services reach level 3 at the pace of the last months (method and limits included).',
  })
  ozgForecast(
    @Ctx() ctx: GraphQLContext,
    @Arg('stichtag', () => String, { nullable: true, description: STICHTAG }) stichtag?: string | null,
    @Arg('window', () => Int, { nullable: true, defaultValue: 6, description: 'Months with data the trend is fitted to (3–36).' })
    window?: number,
  ): Promise<OzgForecast> {
    return ozgForecast(ctx, { stichtag, window });
  }

  @Query(() => [OzgTarget], { description: 'The targets (SOLL) of a service in both models with their history, oldest first.' })
  ozgTargetHistory(@Ctx() ctx: GraphQLContext, @Arg('serviceKey') serviceKey: string): Promise<OzgTarget[]> {
    return targetHistoryOf(ctx, [serviceKey]);
  }

  @Query(() => OzgMonthlyReport, { description: 'The standard monthly OZG report for the Land and the council (steering role).' })
  ozgReport(
    @Ctx() ctx: GraphQLContext,
    @Arg('month', { description: 'YYYY-MM, not after the current month.' }) month: string,
  ): Promise<OzgMonthlyReport> {
    return ozgMonthlyReport(ctx, { month }) as unknown as Promise<OzgMonthlyReport>;
  }

  @Mutation(() => OzgTarget, {
    description:
      'Sets the target (SOLL level and date) of a service in one model (steering role); the previous target stays as history, the change is audited.',
  })
  setServiceTarget(
    @Ctx() ctx: GraphQLContext,
    @Arg('serviceKey') serviceKey: string,
    @Arg('model', { description: '"1.1" (levels 0–4) or "2.0" (levels 0–7).' }) model: string,
    @Arg('level', () => Int) level: number,
    @Arg('targetDate', { description: 'YYYY-MM-DD' }) targetDate: string,
    @Arg('note', () => String, { nullable: true, description: 'Why (at most 500 characters; internal).' }) note?: string | null,
  ): Promise<OzgTarget> {
    return setServiceTarget(ctx, { serviceKey, model, level, targetDate, note });
  }

  @Mutation(() => Boolean, { description: 'Removes the target of a service in one model (steering role); false when it had none.' })
  removeServiceTarget(
    @Ctx() ctx: GraphQLContext,
    @Arg('serviceKey') serviceKey: string,
    @Arg('model') model: string,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<boolean> {
    return removeServiceTarget(ctx, { serviceKey, model, note });
  }

  @FieldResolver(() => OzgLevels, { description: 'Reifegradmodell 1.1 (levels 0–4).' })
  model11(@Root() row: OzgServiceStatus): OzgLevels {
    return levels(row.stichtag, row.ist11, row.soll11, row.targetDate11);
  }

  @FieldResolver(() => OzgLevels, { description: 'Reifegradmodell 2.0 (levels 0–7).' })
  model20(@Root() row: OzgServiceStatus): OzgLevels {
    return levels(row.stichtag, row.ist20, row.soll20, row.targetDate20);
  }

  @FieldResolver(() => Service, { nullable: true, description: 'The service in the catalog today (null when it no longer exists).' })
  service(@Root() row: OzgServiceStatus, @Ctx() ctx: GraphQLContext): Promise<Service | null> {
    return ctx.loaders.service.load(row.serviceKey) as unknown as Promise<Service | null>;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The responsible org unit as of the Stichtag (internal).' })
  async responsibleOrgUnit(@Root() row: OzgServiceStatus, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> {
    const code = internalField(ctx, row.orgUnit ?? null);
    return code ? ((await ctx.loaders.orgUnit.load(code)) as OrgUnit | null) : null;
  }

  @FieldResolver(() => Procedure, { nullable: true, description: 'The procedure that handled it as of the Stichtag (internal).' })
  async procedure(@Root() row: OzgServiceStatus, @Ctx() ctx: GraphQLContext): Promise<Procedure | null> {
    const key = internalField(ctx, row.procedureKey ?? null);
    return key ? ((await ctx.loaders.procedure.load(key)) as Procedure | null) : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Reuses an EfA ("Einer für Alle") implementation (internal).' })
  efa(@Root() row: OzgServiceStatus, @Ctx() ctx: GraphQLContext): boolean | null {
    return internalField(ctx, row.efa ?? null);
  }
}

@Resolver(() => OzgTarget)
export class OzgTargetResolver {
  @FieldResolver(() => String, { nullable: true, description: 'source (the maturity file) or api (set by the steering team) (internal).' })
  origin(@Root() t: OzgTarget, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, t.origin ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who set it through the API: API key id or token subject (internal).' })
  changedBy(@Root() t: OzgTarget, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, t.changedBy ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was set (internal).' })
  note(@Root() t: OzgTarget, @Ctx() ctx: GraphQLContext): string | null {
    return internalField(ctx, t.note ?? null);
  }
}
