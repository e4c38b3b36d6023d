// Entry of one target server, run as a child process of run.ts so that the load generator and each
// server have their own event loop:
//   node --import @swc-node/register/esm-register bench/graphql/server.ts <ours|ours-cached|postgraphile|raw> <database url> <pool size>
// Prints {"port": n} on stdout once it serves.
const [target, url, poolArg] = process.argv.slice(2);
const poolSize = Number(poolArg ?? 10);
if (!url || !Number.isInteger(poolSize)) throw new Error('usage: server.ts <target> <database url> <pool size>');

let port: number;
if (target === 'ours' || target === 'ours-cached') {
  const { startOurs } = await import('./ours-server.js');
  port = await startOurs(url, poolSize, target === 'ours-cached');
} else if (target === 'postgraphile') {
  const { startPostGraphile } = await import('./postgraphile-server.js');
  port = await startPostGraphile(url, poolSize);
} else if (target === 'raw') {
  const { startRawServer } = await import('./raw-server.js');
  port = await startRawServer(url, poolSize);
} else {
  throw new Error(`unknown target ${target}`);
}
// a clean exit on SIGTERM, so --cpu-prof writes its profile
process.once('SIGTERM', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ port })}\n`);
