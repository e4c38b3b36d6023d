import 'reflect-metadata';
import { Field, Int, ObjectType } from 'type-graphql';
import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';

@ObjectType({ description: 'Where a row comes from: the ETL run that last wrote it and its place in the source.' })
export class Lineage {
  @Field(() => Int, { nullable: true, description: 'The ETL run (admins read its quarantine via `quarantine(runId:)`).' })
  runId!: number | null;

  @Field(() => String, { nullable: true, description: 'The source of that run, as named in sources.yaml.' })
  source!: string | null;

  @Field(() => Date, { nullable: true, description: 'When that run committed.' })
  loadedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Where the row stood in the source, e.g. initiatives.yaml:14.' })
  position!: string | null;

  @Field(() => Int, { nullable: true, description: 'Records the run could not load (quarantined).' })
  runQuarantined!: number | null;
}

export interface RunRow {
  id: number;
  source: string;
  finishedAt: Date | null;
  rowsQuarantined: number;
}

/** Public facts of runs (open.etl_runs), for lineage. */
export function runsByIds(ctx: DomainContext, ids: readonly number[]): Promise<RunRow[]> {
  return runAction(ctx, 'etl_run.public', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<RunRow>(
      `select id, source, finished_at as "finishedAt", rows_quarantined as "rowsQuarantined" from open.etl_runs where id = any($1)`,
      [ids],
    );
    return rows;
  });
}

export function lineageOf(run: RunRow | null, runId: number | null, position: string | null): Lineage {
  return { runId, source: run?.source ?? null, loadedAt: run?.finishedAt ?? null, position, runQuarantined: run?.rowsQuarantined ?? null };
}
