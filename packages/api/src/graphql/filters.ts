import 'reflect-metadata';
import { Field, Float, InputType, Int } from 'type-graphql';

// Operator inputs shared by every filter (Hasura/PostGraphile style), compiled by domain/filter.ts.

@InputType({ description: 'Conditions on a text field; all given conditions must hold.' })
export class StringFilter {
  @Field(() => String, { nullable: true }) eq?: string | null;
  @Field(() => String, { nullable: true }) ne?: string | null;
  @Field(() => [String], { nullable: true }) in?: string[] | null;
  @Field(() => [String], { nullable: true }) notIn?: string[] | null;
  @Field(() => String, { nullable: true }) lt?: string | null;
  @Field(() => String, { nullable: true }) gt?: string | null;
  @Field(() => String, { nullable: true, description: 'Substring, case-sensitive.' }) contains?: string | null;
  @Field(() => String, { nullable: true, description: 'Substring, ignoring case and accents (Ä = a).' }) icontains?: string | null;
  @Field(() => String, { nullable: true }) startsWith?: string | null;
  @Field(() => Boolean, { nullable: true }) isNull?: boolean | null;
}

@InputType({ description: 'Conditions on a whole number.' })
export class IntFilter {
  @Field(() => Int, { nullable: true }) eq?: number | null;
  @Field(() => Int, { nullable: true }) ne?: number | null;
  @Field(() => [Int], { nullable: true }) in?: number[] | null;
  @Field(() => [Int], { nullable: true }) notIn?: number[] | null;
  @Field(() => Int, { nullable: true }) lt?: number | null;
  @Field(() => Int, { nullable: true }) lte?: number | null;
  @Field(() => Int, { nullable: true }) gt?: number | null;
  @Field(() => Int, { nullable: true }) gte?: number | null;
  @Field(() => Boolean, { nullable: true }) isNull?: boolean | null;
}

@InputType({ description: 'Conditions on a number.' })
export class FloatFilter {
  @Field(() => Float, { nullable: true }) eq?: number | null;
  @Field(() => Float, { nullable: true }) lt?: number | null;
  @Field(() => Float, { nullable: true }) lte?: number | null;
  @Field(() => Float, { nullable: true }) gt?: number | null;
  @Field(() => Float, { nullable: true }) gte?: number | null;
  @Field(() => Boolean, { nullable: true }) isNull?: boolean | null;
}

@InputType({ description: 'Conditions on a yes/no field.' })
export class BooleanFilter {
  @Field(() => Boolean, { nullable: true }) eq?: boolean | null;
  @Field(() => Boolean, { nullable: true }) isNull?: boolean | null;
}

@InputType({ description: 'Conditions on a point in time.' })
export class DateTimeFilter {
  @Field(() => Date, { nullable: true }) eq?: Date | null;
  @Field(() => Date, { nullable: true }) lt?: Date | null;
  @Field(() => Date, { nullable: true }) lte?: Date | null;
  @Field(() => Date, { nullable: true }) gt?: Date | null;
  @Field(() => Date, { nullable: true }) gte?: Date | null;
  @Field(() => Boolean, { nullable: true }) isNull?: boolean | null;
}

@InputType({ description: 'Conditions on a calendar date, written YYYY-MM-DD.' })
export class DateFilter {
  @Field(() => String, { nullable: true }) eq?: string | null;
  @Field(() => String, { nullable: true }) lt?: string | null;
  @Field(() => String, { nullable: true }) lte?: string | null;
  @Field(() => String, { nullable: true }) gt?: string | null;
  @Field(() => String, { nullable: true }) gte?: string | null;
  @Field(() => Boolean, { nullable: true }) isNull?: boolean | null;
}

@InputType({ description: 'Conditions on one named attribute (values compare as text); all given conditions must hold.' })
export class PropertyFilter extends StringFilter {
  @Field({ description: 'Name of the attribute, e.g. "bezeichnung".' }) name!: string;
}
