import 'reflect-metadata';
import { Arg, Ctx, Field, Float, InputType, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { GraphQLContext } from '../graphql/context.js';
import { aggregate, aggregateSpecs } from './aggregate.service.js';

export enum AggregateFunction {
  count = 'count',
  sum = 'sum',
  avg = 'avg',
  min = 'min',
  max = 'max',
}
registerEnumType(AggregateFunction, { name: 'AggregateFunction' });

export enum ComparisonOperator {
  eq = 'eq',
  ne = 'ne',
  lt = 'lt',
  lte = 'lte',
  gt = 'gt',
  gte = 'gte',
}
registerEnumType(ComparisonOperator, { name: 'ComparisonOperator' });

export enum AggregateEntity {
  services = 'services',
  service_metrics = 'service_metrics',
  procedures = 'procedures',
  projects = 'projects',
}
registerEnumType(AggregateEntity, {
  name: 'AggregateEntity',
  valuesConfig: Object.fromEntries(
    Object.entries(aggregateSpecs).map(([name, spec]) => [
      name,
      {
        description: `dimensions: ${Object.keys(spec.dimensions).join(', ')}; measures: ${Object.keys(spec.measures).join(', ') || 'count only'}`,
      },
    ]),
  ),
});

@InputType({ description: 'One measure: count (of rows, or of non-null values of a field), or sum/avg/min/max of a field.' })
export class AggregateMeasure {
  @Field(() => AggregateFunction) fn!: AggregateFunction;
  @Field(() => String, { nullable: true }) field?: string | null;
}

@InputType({ description: 'A condition on a measure (by its position in `measures`), like SQL HAVING.' })
export class AggregateHaving {
  @Field(() => Int) measure!: number;
  @Field(() => ComparisonOperator) op!: ComparisonOperator;
  @Field(() => Float) value!: number;
}

@ObjectType({ description: 'One group: its dimension values and the measures, in the order asked for.' })
export class AggregateGroup {
  @Field(() => GraphQLJSONObject) key!: Record<string, unknown>;
  @Field(() => [Float], { nullable: 'items' }) values!: (number | null)[];
}

@Resolver()
export class AggregateResolver {
  @Query(() => [AggregateGroup], {
    description: 'count/sum/avg/min/max with groupBy and having, over services, monthly metrics, procedures or projects.',
  })
  aggregate(
    @Arg('entity', () => AggregateEntity) entity: AggregateEntity,
    @Arg('measures', () => [AggregateMeasure]) measures: AggregateMeasure[],
    @Ctx() ctx: GraphQLContext,
    @Arg('groupBy', () => [String], { nullable: true, defaultValue: [] }) groupBy: string[],
    @Arg('having', () => [AggregateHaving], { nullable: true }) having?: AggregateHaving[] | null,
    @Arg('limit', () => Int, { nullable: true, description: 'At most this many groups (default 1000, max 10000).' }) limit?: number | null,
  ): Promise<AggregateGroup[]> {
    return aggregate(ctx, {
      entity,
      groupBy,
      measures: measures.map((m) => ({ fn: m.fn, field: m.field })),
      having: having,
      limit,
    });
  }
}
