import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DatasetResolver } from '../catalog/catalog.resolver.js';
import { OrgUnitResolver } from '../org/org-unit.resolver.js';
import { ProjectResolver } from '../projects/project.resolver.js';
import { InitiativeResolver, NavigatorFieldResolver, PillarResolver } from '../strategy/strategy.resolver.js';
import { KpiResolver } from '../kpis/kpi.resolver.js';
import { ProcedureResolver } from '../procedures/procedure.resolver.js';
import { GeoResolver } from '../geo/geo.resolver.js';
import { AggregateResolver } from '../aggregates/aggregate.resolver.js';
import { AdminResolver } from '../runs/etl.resolver.js';
import { ApiKeyResolver } from '../access/api-key.resolver.js';
import { ServiceResolver } from '../services/service.resolver.js';
import { OzgMonitoringResolver, OzgTargetResolver } from '../monitoring/monitoring.resolver.js';
import { ImpactedProcedureResolver, LandscapeGroupResolver, LandscapeResolver } from '../landscape/landscape.resolver.js';
import { ProgramProjectResolver, ProgramResolver } from '../program/program.resolver.js';
import { NodeResolver } from './node.resolver.js';
import { Node } from './relay.js';

/** Every resolver, listed once. */
export const resolvers = [
  PillarResolver,
  NavigatorFieldResolver,
  InitiativeResolver,
  OrgUnitResolver,
  ProjectResolver,
  DatasetResolver,
  ProcedureResolver,
  GeoResolver,
  AggregateResolver,
  KpiResolver,
  AdminResolver,
  ApiKeyResolver,
  ServiceResolver,
  OzgMonitoringResolver,
  OzgTargetResolver,
  LandscapeResolver,
  ImpactedProcedureResolver,
  LandscapeGroupResolver,
  ProgramResolver,
  ProgramProjectResolver,
  NodeResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema (built once per process). */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, orphanedTypes: [Node], validate: false });
  return built;
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSdl(): Promise<string> {
  const header = '# Generated from packages/api (type-graphql). Do not edit: run `pnpm schema:emit`.\n\n';
  return header + printSchema(lexicographicSortSchema(await getSchema())) + '\n';
}
