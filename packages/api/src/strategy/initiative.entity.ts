import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OrgUnitEntity } from '../org/org-unit.entity.js';
import { NavigatorFieldEntity } from './navigator-field.entity.js';

/** A Vorhaben of the strategy's appendix. The *_raw columns keep the source cells as written. */
@Entity({ tableName: 'initiative', schema: 'core' })
export class InitiativeEntity {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ unique: true })
  key!: string;

  @Property()
  title!: string;

  @ManyToOne(() => NavigatorFieldEntity, { fieldName: 'field_id' })
  field!: NavigatorFieldEntity;

  @ManyToOne(() => OrgUnitEntity, { nullable: true, fieldName: 'responsible_org_unit_id' })
  responsibleOrgUnit?: OrgUnitEntity | null;

  @Property({ type: 'text' })
  responsibleRaw!: string;

  @Property({ nullable: true, type: 'smallint' })
  priority?: number | null;

  @Property({ nullable: true, type: 'text' })
  size?: string | null;

  @Property({ nullable: true, type: 'text' })
  status?: string | null;

  @Property({ type: 'text' })
  statusRaw!: string;

  @Property({ type: 'text[]' })
  focusPoints!: string[];

  @Property({ type: 'text[]' })
  benefits!: string[];

  @Property({ type: 'boolean' })
  isDriverProject!: boolean;

  @Property({ nullable: true, type: 'bigint' })
  lastRunId?: string | null;
}
