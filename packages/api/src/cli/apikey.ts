// `npm run apikey -- <command>`: API keys from the command line (the first admin key comes from here).
//   apikey create --name <name> --role developer|steering|admin   prints the key once
//   apikey list                                                   keys without secrets
//   apikey revoke <id>
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { issueApiKey, listApiKeys, revokeApiKey } from '../access/index.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { toError } from '../errors/index.js';
import { createLogger } from '../logger.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const out = (line: string) => process.stdout.write(line + '\n');

async function main(): Promise<number> {
  const [command, arg] = positionals;
  const config = loadConfig();
  const log = createLogger('warn');
  const db = await openDatabase(config, log);
  // the command line is the operator's own: it acts as admin
  const ctx = { viewer: { role: 'admin' as const, subject: 'cli' }, pool: db.pool, log };
  try {
    switch (command) {
      case 'create': {
        const role = values.role;
        if (!values.name || (role !== 'developer' && role !== 'steering' && role !== 'admin')) {
          throw new Error('give --name and --role developer|steering|admin');
        }
        const { key, apiKey } = await issueApiKey(ctx, { name: values.name, role });
        if (values.json) out(JSON.stringify({ key, ...apiKey }));
        else out(`API key ${apiKey.id} (${role}) created. Store it now, it is not shown again:\n${key}`);
        return 0;
      }
      case 'list': {
        const keys = await listApiKeys(ctx);
        out(
          values.json
            ? JSON.stringify(keys, null, 2)
            : keys.map((k) => `${k.id}\t${k.role}\t${k.status}\thro_${k.prefix}_…\t${k.name}`).join('\n'),
        );
        return 0;
      }
      case 'revoke': {
        if (!arg || !/^\d+$/.test(arg)) throw new Error('give the id of the key to revoke (see: apikey list)');
        await revokeApiKey(ctx, Number(arg));
        out(`API key ${arg} revoked.`);
        return 0;
      }
      default:
        out('usage: apikey create --name <name> --role developer|steering|admin | apikey list | apikey revoke <id>');
        return command === undefined ? 0 : 1;
    }
  } finally {
    await db.close();
  }
}

let exitCode: number;
try {
  exitCode = await main();
} catch (e) {
  process.stderr.write(`apikey: ${e instanceof ConfigError ? `invalid configuration: ${e.message}` : toError(e).message}\n`);
  exitCode = 1;
}
process.exit(exitCode);
