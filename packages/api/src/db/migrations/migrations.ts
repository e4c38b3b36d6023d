import { readFileSync } from 'node:fs';
import { Migration } from '@mikro-orm/migrations';
import { migrationNames } from './names.js';

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

/** Every migration, in order (names.ts lists them). */
export const migrationsList = migrationNames.map((name) => sqlMigration(name, `./${name}.sql`));
