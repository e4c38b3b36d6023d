import type { Pool } from 'pg';
import type { AccessContext } from '../access/index.js';
import type { Logger } from '../logger.js';

/** What every domain action receives: who asks, the database, a logger. Built per request. */
export interface DomainContext extends AccessContext {
  pool: Pool;
  log: Logger;
}
