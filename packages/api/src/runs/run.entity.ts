import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type RunStatus = 'running' | 'succeeded' | 'failed';

/** One ETL run of one source, with its counts (read = loaded + unchanged + quarantined). */
@Entity({ tableName: 'run', schema: 'etl' })
export class RunEntity {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property()
  source!: string;

  @Property({ type: 'text' })
  status!: RunStatus;

  @Property({ type: 'boolean' })
  dryRun!: boolean;

  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Property({ type: 'bigint' })
  rowsRead!: string;

  @Property({ type: 'bigint' })
  rowsLoaded!: string;

  @Property({ type: 'bigint' })
  rowsUnchanged!: string;

  @Property({ type: 'bigint' })
  rowsQuarantined!: string;

  @Property({ nullable: true, type: 'text' })
  errorMessage?: string | null;
}
