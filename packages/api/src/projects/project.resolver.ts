import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { OrgUnit } from '../org/org-unit.type.js';
import { Lineage, lineageOf } from '../graphql/lineage.js';
import { Initiative } from '../strategy/strategy.type.js';
import { internalProjectField, listProjects, milestonesFromJson, showProject } from './project.service.js';
import { attachRawList, rawListOf, rawListSelection, selectedFields, selects } from '../graphql/lookahead.js';
import { RawJson } from '../db/raw-json.js';
import { ProjectFilter, ProjectOrderBy } from './project.filter.js';
import type { EntityFilter } from '../domain/filter.js';
import { Milestone, Project, ProjectStatus, ProjectStatusChange } from './project.type.js';

export const ProjectConnection = connectionType(Project, 'Project');

const lines = (text: string) => (text === '' ? [] : text.split('\n'));

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => ProjectConnection, {
    description: 'Projects by key. Anonymous users see the published list (council paper); the steering team sees all.',
  })
  async projects(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('status', () => ProjectStatus, { nullable: true }) status?: ProjectStatus | null,
    @Arg('initiative', () => String, { nullable: true, description: 'Only projects linked to this initiative key.' })
    initiative?: string | null,
    @Arg('filter', () => ProjectFilter, { nullable: true, description: 'Conditions with operators, across relations.' })
    filterInput?: ProjectFilter | null,
    @Arg('orderBy', () => ProjectOrderBy, { nullable: true, defaultValue: ProjectOrderBy.KEY_ASC }) orderBy?: ProjectOrderBy,
  ): Promise<ConnectionShape<Project>> {
    const raw = ctx.rawJson === true ? rawListSelection(info, ['nodes', 'milestones']) : undefined;
    const result = await listProjects(ctx, { status, initiativeKey: initiative }, page, {
      where: filterInput as EntityFilter | null | undefined,
      orderBy,
      milestones: selects(info, ['nodes', 'milestones'], ['edges', 'node', 'milestones']),
      fields: selectedFields(info, ['nodes'], ['edges', 'node']),
      milestonesText: raw?.fields,
    });
    for (const node of result.nodes) {
      const milestones = node.__milestones;
      // as the answer's text, for the nodes' selection only (edges may select other fields)
      if (raw && milestones instanceof RawJson) attachRawList(node, 'milestones', raw.node, milestones);
      // fetched with the page: the loader answers from them without another statement
      else if (milestones) ctx.loaders.milestones.prime(node.key, milestonesFromJson(node.key, milestones));
    }
    return toConnection<Project>(result);
  }

  @Query(() => Project, { description: 'One project by key, e.g. "P001/19".' })
  project(@Arg('key') key: string, @Ctx() ctx: GraphQLContext): Promise<Project> {
    return showProject(ctx, key) as unknown as Promise<Project>;
  }

  @FieldResolver(() => ID)
  id(@Root() project: Project): string {
    return toGlobalId('Project', project.key);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Start date, YYYY-MM-DD (internal).' })
  startDate(@Root() project: Project, @Ctx() ctx: GraphQLContext): string | null {
    return internalProjectField(ctx, project.startDate ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Due date, YYYY-MM-DD (internal).' })
  dueDate(@Root() project: Project, @Ctx() ctx: GraphQLContext): string | null {
    return internalProjectField(ctx, project.dueDate ?? null);
  }

  @FieldResolver(() => [Milestone], { nullable: true, description: 'Milestones, by due date (internal; null with an error for others).' })
  milestones(@Root() project: Project, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<Milestone[]> | RawJson {
    return rawListOf(project, info) ?? ctx.loaders.milestones.load(project.key);
  }

  @FieldResolver(() => [ProjectStatusChange], { nullable: true, description: 'Every status the project had, oldest first (internal).' })
  statusHistory(@Root() project: Project, @Ctx() ctx: GraphQLContext): Promise<ProjectStatusChange[]> {
    return ctx.loaders.statusHistory.load(project.key) as Promise<ProjectStatusChange[]>;
  }

  @FieldResolver(() => Lineage, { description: 'Where this project comes from.' })
  async lineage(@Root() project: Project, @Ctx() ctx: GraphQLContext): Promise<Lineage> {
    const run = project.lastRunId === null ? null : await ctx.loaders.run.load(project.lastRunId);
    return lineageOf(run, project.lastRunId, project.sourcePosition);
  }

  @FieldResolver(() => [String], { description: 'Goals (Ziele), one per item.' })
  goals(@Root() project: Project): string[] {
    return lines(project.goals);
  }

  @FieldResolver(() => [String], { description: 'Results so far (Ergebnisse), one per item.' })
  results(@Root() project: Project): string[] {
    return lines(project.results);
  }

  @FieldResolver(() => Initiative, { nullable: true })
  initiative(@Root() project: Project, @Ctx() ctx: GraphQLContext): Promise<Initiative | null> | null {
    return project.initiativeKey ? (ctx.loaders.initiative.load(project.initiativeKey) as unknown as Promise<Initiative | null>) : null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  orgUnit(@Root() project: Project, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> | null {
    return project.orgUnit ? (ctx.loaders.orgUnit.load(project.orgUnit) as Promise<OrgUnit | null>) : null;
  }
}
