import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { kpiSeries, kpiValues, listKpis } from './kpi.service.js';
import { Kpi, KpiAsOf, KpiDimensionFilter, KpiPoint, KpiResult } from './kpi.type.js';

@Resolver()
export class KpiResolver {
  @Query(() => [Kpi], { description: 'The KPI catalog with written definitions (internal KPIs for the steering team only).' })
  kpis(@Ctx() ctx: GraphQLContext): Promise<Kpi[]> {
    return listKpis(ctx);
  }

  @Query(() => KpiResult, { description: 'A KPI as of the latest ETL run, or as of a past run or date, cut by dimensions.' })
  kpi(
    @Arg('id') id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('groupBy', () => [String], { nullable: true, description: 'Dimensions to keep (default: all of the KPI); the others are summed.' })
    groupBy?: string[] | null,
    @Arg('filter', () => [KpiDimensionFilter], { nullable: true }) filter?: KpiDimensionFilter[] | null,
    @Arg('asOf', () => KpiAsOf, { nullable: true }) asOf?: KpiAsOf | null,
  ): Promise<KpiResult> {
    return kpiValues(ctx, { id, groupBy, filter, asOfRun: asOf?.run, asOfDate: asOf?.date });
  }

  @Query(() => [KpiPoint], { description: 'A KPI over time: one point per ETL run (and per cut), oldest first.' })
  kpiSeries(
    @Arg('id') id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('groupBy', () => [String], { nullable: true }) groupBy?: string[] | null,
    @Arg('filter', () => [KpiDimensionFilter], { nullable: true }) filter?: KpiDimensionFilter[] | null,
    @Arg('limit', () => Int, { nullable: true, description: 'Latest n runs (default 100, at most 1000).' }) limit?: number | null,
  ): Promise<KpiPoint[]> {
    return kpiSeries(ctx, { id, groupBy, filter, limit });
  }
}
