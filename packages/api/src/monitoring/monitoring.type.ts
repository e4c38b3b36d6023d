import 'reflect-metadata';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ImplementationStatus } from '../services/service.type.js';

@ObjectType({ description: 'A service’s maturity in one OZG model as of the Stichtag: IST, SOLL (target level and date), target missed.' })
export class OzgLevels {
  @Field(() => Int, { nullable: true, description: 'IST level (null: not assessed).' })
  ist!: number | null;

  @Field(() => Int, { nullable: true, description: 'SOLL: the target level.' })
  soll!: number | null;

  @Field(() => String, { nullable: true, description: 'SOLL: the target date (YYYY-MM-DD).' })
  targetDate!: string | null;

  @Field({ description: 'The target date is on or before the Stichtag and IST is below SOLL (or unknown).' })
  targetMissed!: boolean;
}

@ObjectType({
  description:
    'A service in the OZG-Monitoring as of a Stichtag (the end of that day, Europe/Berlin). Org unit, procedure and EfA reuse are internal.',
  simpleResolvers: true,
})
export class OzgServiceStatus {
  @Field({ description: 'The Stichtag the state belongs to (YYYY-MM-DD).' })
  stichtag!: string;

  @Field()
  serviceKey!: string;

  @Field({ description: 'ozg, leika or local.' })
  kind!: string;

  @Field(() => String, { nullable: true })
  ozgId!: string | null;

  @Field(() => String, { nullable: true })
  leikaKey!: string | null;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  themenfeld!: string | null;

  @Field(() => ImplementationStatus, {
    nullable: true,
    description:
      'From the IST level of model 1.1: 4 end_to_end, 3 online, 2 in_progress; 0–1 or unknown with a target above IST planned; else null (not planned).',
  })
  status!: ImplementationStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'IST level of model 1.1 is 3 or higher.' })
  online!: boolean | null;

  @Field({ description: 'A target of either model is missed.' })
  targetMissed!: boolean;

  @Field(() => Int, { nullable: true, description: 'Days from the earliest missed target date to the Stichtag.' })
  daysSinceTarget!: number | null;

  ist11!: number | null;
  soll11!: number | null;
  targetDate11!: string | null;
  ist20!: number | null;
  soll20!: number | null;
  targetDate20!: string | null;
  orgUnit?: string | null;
  procedureKey?: string | null;
  efa?: boolean | null;
}

@ObjectType({
  description: 'The last successful ETL run of a source before the Stichtag: the data a number rests on.',
  simpleResolvers: true,
})
export class DataStand {
  @Field()
  source!: string;

  @Field(() => Int)
  runId!: number;

  @Field(() => Date)
  finishedAt!: Date;
}

@ObjectType({ description: 'The OZG-Monitoring as of a Stichtag: services by implementation status, targets and missed targets.' })
export class OzgMonitoring {
  @Field({ description: 'YYYY-MM-DD; the state at the end of that day (Europe/Berlin).' })
  stichtag!: string;

  @Field(() => Int, { description: 'Monitored services: every OZG service and every other service with a maturity row.' })
  services!: number;

  @Field(() => Int)
  endToEnd!: number;

  @Field(() => Int)
  online!: number;

  @Field(() => Int)
  inProgress!: number;

  @Field(() => Int)
  planned!: number;

  @Field(() => Int, { description: 'No status: IST 0–1 or unknown and no target above it.' })
  notPlanned!: number;

  @Field(() => Int, { description: 'Services with a target (SOLL) in either model.' })
  withTarget!: number;

  @Field(() => Int, { description: 'Services on the gap list.' })
  targetsMissed!: number;

  @Field({ description: 'How the implementation status is derived.' })
  statusDefinition!: string;

  @Field(() => [DataStand])
  dataAsOf!: DataStand[];
}

@ObjectType({ description: 'One month of OZG progress: the last snapshot of KPI services.online in that month.', simpleResolvers: true })
export class OzgProgressPoint {
  @Field({ description: 'YYYY-MM' })
  month!: string;

  @Field(() => Int, { nullable: true, description: 'OZG services at model-1.1 level ≥ 3 (null: withheld, 1–4).' })
  online!: number | null;

  @Field(() => Int, { nullable: true, description: 'All OZG services.' })
  total!: number | null;

  @Field(() => Int)
  runId!: number;

  @Field(() => Date)
  computedAt!: Date;

  @Field()
  suppressed!: boolean;
}

@ObjectType({ description: 'When the open OZG services reach level 3 at the pace of the last months (linear trend).' })
export class OzgForecast {
  @Field()
  method!: string;

  @Field()
  limits!: string;

  @Field(() => [OzgProgressPoint], { description: 'The months the trend is fitted to.' })
  points!: OzgProgressPoint[];

  @Field(() => Float, { nullable: true, description: 'Services per month (least-squares slope).' })
  slopePerMonth!: number | null;

  @Field(() => Float, { nullable: true, description: 'Trend value in the first month of the points.' })
  intercept!: number | null;

  @Field(() => Int, { nullable: true })
  total!: number | null;

  @Field(() => Int, { nullable: true, description: 'Services not yet at level 3 (latest month).' })
  open!: number | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM: first month the trend reaches the total; null: no forecast.' })
  reachMonth!: string | null;

  @Field(() => String, { nullable: true, description: 'Why there is no forecast: too_few_months, flat_or_falling; reached: nothing open.' })
  reason!: string | null;
}

@ObjectType({ description: 'A target (SOLL) of a service in one model, and since when it holds. Origin, author and note are internal.' })
export class OzgTarget {
  @Field()
  serviceKey!: string;

  @Field({ description: '"1.1" or "2.0"' })
  model!: string;

  @Field(() => Int)
  level!: number;

  @Field(() => String, { nullable: true })
  targetDate!: string | null;

  @Field(() => Date)
  validFrom!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was replaced or removed; null for the current target.' })
  validTo!: Date | null;

  origin?: string;
  changedBy?: string | null;
  note?: string | null;
}

@ObjectType({ description: 'A column of the standard monthly OZG report (fixed layout).', simpleResolvers: true })
export class OzgReportColumn {
  @Field()
  key!: string;

  @Field({ description: 'Header in the CSV and XLSX files.' })
  header!: string;

  @Field({ description: 'text, int, date or bool' })
  type!: string;

  @Field({ description: 'Left out of the public part (open dataset).' })
  internal!: boolean;

  @Field()
  description!: string;
}

@ObjectType({ description: 'The standard monthly OZG report (steering team); also as CSV and XLSX under /berichte/ozg/<YYYY-MM>.' })
export class OzgMonthlyReport {
  @Field()
  title!: string;

  @Field({ description: 'YYYY-MM' })
  month!: string;

  @Field()
  stichtag!: string;

  @Field()
  preliminary!: boolean;

  @Field(() => [OzgReportColumn])
  columns!: OzgReportColumn[];

  @Field(() => [GraphQLJSON], { description: 'One array per service, cells in column order (text, number, YYYY-MM-DD, boolean or null).' })
  rows!: unknown[];

  @Field(() => [DataStand])
  dataAsOf!: DataStand[];
}
