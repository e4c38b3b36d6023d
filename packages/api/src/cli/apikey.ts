// `npm run apikey -- <command>`: API keys from the command line (the first admin key comes from here).
//   apikey create --name <name> --role developer|steering|admin   prints the key once
//   apikey list                                                   keys without secrets, with status, use and last use
//   apikey revoke <id>                                            refused at once here, within 30 s by running servers
//   apikey rotate <id>                                            a new secret for the same key; prints it once
//   apikey requests [--status pending|approved|rejected]          key requests from the portal (/entwickler/schluessel)
//   apikey approve <request id>                                   issues a developer key; the requester collects it once
//   apikey reject <request id> --reason <text>                    the requester reads the reason on the status page
// Add --json for machine-readable output.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import {
  approveApiKeyRequest,
  flushKeyUsage,
  issueApiKey,
  listApiKeyRequests,
  listApiKeys,
  rejectApiKeyRequest,
  revokeApiKey,
  rotateApiKey,
  type ApiKeyRow,
} from '../access/index.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { toError } from '../errors/index.js';
import { createLogger } from '../logger.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    role: { type: 'string' },
    reason: { type: 'string' },
    status: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const out = (line: string) => process.stdout.write(line + '\n');
const usage =
  'usage: apikey create --name <name> --role developer|steering|admin | list | revoke <id> | rotate <id>\n' +
  '       apikey requests [--status pending|approved|rejected] | approve <request id> | reject <request id> --reason <text>';
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');
const keyLine = (k: ApiKeyRow) =>
  [
    k.id,
    k.role,
    k.status,
    `hro_${k.prefix}_…`,
    `${k.usageCount} requests (${k.requestsToday} today)`,
    `last ${day(k.lastUsedAt)}`,
    k.name,
  ].join('\t');

function keyId(arg: string | undefined, verb: string): number {
  if (!arg || !/^\d{1,12}$/.test(arg)) throw new Error(`give the id of the key to ${verb} (see: apikey list)`);
  return Number(arg);
}

function requestId(arg: string | undefined, verb: string): string {
  if (!arg) throw new Error(`give the id of the request to ${verb} (see: apikey requests)`);
  return arg;
}

async function main(): Promise<number> {
  const [command, arg] = positionals;
  if (command === undefined || command === 'help') {
    out(usage);
    return 0;
  }
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
        out(values.json ? JSON.stringify(keys, null, 2) : keys.map(keyLine).join('\n'));
        return 0;
      }
      case 'revoke': {
        await revokeApiKey(ctx, keyId(arg, 'revoke'));
        out(`API key ${arg} revoked.`);
        return 0;
      }
      case 'rotate': {
        const { key, apiKey } = await rotateApiKey(ctx, keyId(arg, 'rotate'));
        if (values.json) out(JSON.stringify({ key, ...apiKey }));
        else out(`API key ${apiKey.id} rotated; the old secret is refused now. Store the new key, it is not shown again:\n${key}`);
        return 0;
      }
      case 'requests': {
        const requests = await listApiKeyRequests(ctx, { status: values.status });
        out(
          values.json
            ? JSON.stringify(requests, null, 2)
            : requests
                .map((r) => [r.id, r.status, day(r.createdAt), r.name, r.email, r.purpose.replace(/\s+/g, ' ').slice(0, 80)].join('\t'))
                .join('\n'),
        );
        return 0;
      }
      case 'approve': {
        const { request, apiKey } = await approveApiKeyRequest(ctx, requestId(arg, 'approve'));
        if (values.json) out(JSON.stringify({ request, apiKey }));
        else out(`Request ${request.id} approved: developer key ${apiKey.id} issued. The requester collects it once on the status page.`);
        return 0;
      }
      case 'reject': {
        if (!values.reason) throw new Error('give --reason <text> (the requester reads it)');
        const request = await rejectApiKeyRequest(ctx, requestId(arg, 'reject'), values.reason);
        out(values.json ? JSON.stringify(request) : `Request ${request.id} rejected.`);
        return 0;
      }
      default:
        out(usage);
        return 1;
    }
  } finally {
    await flushKeyUsage(db.pool).catch(() => undefined);
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
