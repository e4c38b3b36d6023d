import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type OrgUnitKind = 'amt' | 'unit' | 'office';

/** An Amt or one of its sub-units (`06`, `06.3`); a tree through parent. */
@Entity({ tableName: 'org_unit', schema: 'core' })
export class OrgUnitEntity {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ unique: true })
  code!: string;

  @Property()
  name!: string;

  @ManyToOne(() => OrgUnitEntity, { nullable: true, fieldName: 'parent_id' })
  parent?: OrgUnitEntity | null;

  @Property({ type: 'text' })
  kind!: OrgUnitKind;

  @Property({ nullable: true, type: 'bigint' })
  lastRunId?: string | null;
}
