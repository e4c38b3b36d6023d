export { openDatabase, createPool, type Database } from './connect.js';
export type { Orm } from './orm.js';
export { createOrm } from './orm-lazy.js';
export { migrate, pendingMigrations } from './migrate.js';
export { startEmbeddedPostgres, type EmbeddedCluster } from './embedded.js';
export { bumpDataVersion } from './data-version.js';
export { backupDatabase, restoreDatabase, findPgTool, serverMajor, PgToolError, type PgTool } from './backup.js';
