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
];
