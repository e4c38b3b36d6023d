import 'reflect-metadata';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { entities } from '../model.js';
import type { Logger } from '../logger.js';
import { migrationsList } from './migrations/migrations.js';

export type Orm = MikroORM;

/** MikroORM over the platform's database; migrations come from the committed list, not a glob. */
export async function createOrm(url: string, log?: Logger, poolMax = 10): Promise<Orm> {
  return MikroORM.init({
    clientUrl: url,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: poolMax },
    debug: false,
    logger: (message: string) => log?.debug({ component: 'orm' }, message),
    migrations: {
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
  });
}
