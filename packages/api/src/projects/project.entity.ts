import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OrgUnitEntity } from '../org/org-unit.entity.js';
import { InitiativeEntity } from '../strategy/initiative.entity.js';

export type ProjectStatus = 'planned' | 'in_progress' | 'on_hold' | 'done' | 'cancelled';

/** A project of the project tool or the council paper (key such as `P001/19`). */
@Entity({ tableName: 'project', schema: 'core' })
export class ProjectEntity {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ unique: true })
  key!: string;

  @Property()
  title!: string;

  @Property({ type: 'text[]' })
  goals!: string[];

  @Property({ type: 'text[]' })
  results!: string[];

  @Property({ nullable: true, type: 'text' })
  status?: ProjectStatus | null;

  @Property({ type: 'text' })
  statusRaw!: string;

  @ManyToOne(() => InitiativeEntity, { nullable: true, fieldName: 'initiative_id' })
  initiative?: InitiativeEntity | null;

  @ManyToOne(() => OrgUnitEntity, { nullable: true, fieldName: 'org_unit_id' })
  orgUnit?: OrgUnitEntity | null;

  @Property({ type: 'text' })
  source!: string;

  @Property({ nullable: true, type: 'bigint' })
  lastRunId?: string | null;
}
