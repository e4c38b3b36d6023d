import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A pillar (Säule) of the strategy: Service-, Organisations-, Personal-, Informations-Management. */
@Entity({ tableName: 'pillar', schema: 'core' })
export class PillarEntity {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ unique: true })
  key!: string;

  @Property()
  name!: string;

  @Property({ nullable: true, type: 'text' })
  description?: string | null;

  @Property({ type: 'smallint' })
  position!: number;

  @Property({ nullable: true, type: 'bigint' })
  lastRunId?: string | null;
}
