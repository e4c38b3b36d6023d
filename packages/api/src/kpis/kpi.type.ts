import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@ObjectType({ description: 'A KPI of the steering catalog with its written definition.' })
export class Kpi {
  @Field({ description: 'Stable id, e.g. "services.online".' })
  id!: string;

  @Field()
  title!: string;

  @Field({ description: 'What is counted, over what, with which threshold.' })
  definition!: string;

  @Field({ description: 'count, share (0–1) or EUR.' })
  unit!: string;

  @Field()
  numerator!: string;

  @Field(() => String, { nullable: true })
  denominator!: string | null;

  @Field({ description: 'Where the data comes from.' })
  source!: string;

  @Field({ description: 'Internal KPIs are visible to the steering team only.' })
  internal!: boolean;

  @Field(() => [String], { description: 'Dimensions the KPI can be cut by.' })
  dimensions!: string[];
}

@ObjectType({ description: 'One value of a KPI for one combination of dimension values.', simpleResolvers: true })
export class KpiValue {
  @Field(() => GraphQLJSONObject, { description: 'The dimension values of this row, e.g. {"month": "2026-01"}.' })
  dimensions!: Record<string, string>;

  @Field(() => Float, { nullable: true, description: 'Null when suppressed (counts below 5 for anonymous readers) or undefined (0/0).' })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field({ description: 'True when the value is withheld because the count is below 5.' })
  suppressed!: boolean;
}

@ObjectType({ description: 'A KPI value at one ETL run.' })
export class KpiPoint {
  @Field(() => Int)
  runId!: number;

  @Field({ description: 'The source whose run produced this snapshot.' })
  source!: string;

  @Field(() => Date)
  computedAt!: Date;

  @Field(() => GraphQLJSONObject)
  dimensions!: Record<string, string>;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field()
  suppressed!: boolean;
}

@ObjectType({ description: 'A KPI as of one ETL run, cut by the requested dimensions.' })
export class KpiResult {
  @Field(() => Kpi)
  kpi!: Kpi;

  @Field(() => Int, { nullable: true, description: 'The ETL run the values belong to (null: no run yet).' })
  runId!: number | null;

  @Field(() => Date, { nullable: true })
  computedAt!: Date | null;

  @Field(() => [KpiValue])
  values!: KpiValue[];
}

@InputType({ description: 'Keep only rows whose dimension has one of these values.' })
export class KpiDimensionFilter {
  @Field()
  dimension!: string;

  @Field(() => [String])
  values!: string[];
}

@InputType({ description: 'Read a KPI as of a past state: a run id, or the last run at or before a time.' })
export class KpiAsOf {
  @Field(() => Int, { nullable: true })
  run?: number | null;

  @Field(() => Date, { nullable: true })
  date?: Date | null;
}
