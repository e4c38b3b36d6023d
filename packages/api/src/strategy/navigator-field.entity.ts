import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PillarEntity } from './pillar.entity.js';

/** A field of the strategy's navigator (Fachverfahren, OZG, DMS, …). */
@Entity({ tableName: 'navigator_field', schema: 'core' })
export class NavigatorFieldEntity {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ unique: true })
  key!: string;

  @Property()
  name!: string;

  @Property({ nullable: true, type: 'text' })
  appendixSection?: string | null;

  @ManyToOne(() => PillarEntity, { nullable: true, fieldName: 'pillar_id' })
  pillar?: PillarEntity | null;

  @Property({ type: 'smallint' })
  position!: number;

  @Property({ nullable: true, type: 'bigint' })
  lastRunId?: string | null;
}
