import { readFileSync } from 'node:fs';
import { Migration } from '@mikro-orm/migrations';

/** A migration whose body is a committed .sql file beside this module (readable, diffable SQL). */
function sqlMigration(
  name: string,
  file: string,
): { name: string; class: new (...args: ConstructorParameters<typeof Migration>) => Migration } {
  const sql = readFileSync(new URL(file, import.meta.url), 'utf8');
  class SqlFileMigration extends Migration {
    override up(): void {
      this.addSql(sql);
    }
  }
  return { name, class: SqlFileMigration };
}

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrationsList = [
  sqlMigration('0001_data_model', './0001_data_model.sql'),
  sqlMigration('0002_open_views', './0002_open_views.sql'),
  sqlMigration('0003_fachverfahren', './0003_fachverfahren.sql'),
  sqlMigration('0004_ozg_catalog', './0004_ozg_catalog.sql'),
  sqlMigration('0005_project_tool', './0005_project_tool.sql'),
  sqlMigration('0006_geo_open', './0006_geo_open.sql'),
  sqlMigration('0007_lineage', './0007_lineage.sql'),
  sqlMigration('0008_geo_bbox', './0008_geo_bbox.sql'),
  sqlMigration('0009_bulk_loads', './0009_bulk_loads.sql'),
  sqlMigration('0010_catalog_search', './0010_catalog_search.sql'),
  sqlMigration('0012_publishing', './0012_publishing.sql'),
  sqlMigration('0014_read_paths', './0014_read_paths.sql'),
  sqlMigration('0015_driver_projects', './0015_driver_projects.sql'),
  sqlMigration('0017_developer_keys', './0017_developer_keys.sql'),
];
