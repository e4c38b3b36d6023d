// Example app on the HRO Datenplattform's GraphQL API: prints the administrative services that
// are online (OZG-Reifegradmodell 1.1, level ≥ 3) per Amt.
//
//   node dist/main.js [<GraphQL URL>] [--json]
//
// URL: the argument, else HRO_API_URL, else http://localhost:8080/graphql. HRO_API_KEY: an API
// key; with a key of the steering role the services are assigned to their Amt (internal data).
import { GraphQLRequestError } from './graphql-request.js';
import { servicesOnlinePerAmt, type ServicesOnlineReport } from './services-online.js';

const USAGE = 'usage: node dist/main.js [<GraphQL URL>] [--json]   (env: HRO_API_URL, HRO_API_KEY)';

function parseArgs(argv: string[]): { endpoint: string; json: boolean } | string {
  let endpoint = process.env.HRO_API_URL || 'http://localhost:8080/graphql';
  let json = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') return USAGE;
    else if (arg.startsWith('-')) return `unknown option ${arg}\n${USAGE}`;
    else endpoint = arg;
  }
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `not an http(s) URL: ${endpoint}`;
  } catch {
    return `not a URL: ${endpoint}`;
  }
  return { endpoint, json };
}

function table(report: ServicesOnlineReport): string {
  const rows = report.amter.map((g) => [g.code ?? '–', g.name, String(g.online), String(g.endToEnd)]);
  const header = ['Amt', 'Name', 'online', 'davon Ende-zu-Ende'];
  const footer = ['', 'gesamt', String(report.total), String(report.amter.reduce((n, g) => n + g.endToEnd, 0))];
  const all = [header, ...rows, footer];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  // text columns left, counts right
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [
    `Online-Dienste je Amt (OZG-Reifegradmodell 1.1, Stufe ≥ 3) – ${report.endpoint}`,
    '',
    line(header),
    rule,
    ...rows.map(line),
    rule,
    line(footer),
  ];
  if (!report.orgUnitsVisible) {
    out.push(
      '',
      'Hinweis: Die Zuständigkeit eines Amtes ist intern. Mit einem API-Schlüssel der Steuerung (HRO_API_KEY)',
      'werden die Dienste ihrem Amt zugeordnet.',
    );
  }
  return `${out.join('\n')}\n`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return args === USAGE ? 0 : 2;
  }
  try {
    const report = await servicesOnlinePerAmt(args.endpoint, process.env.HRO_API_KEY || undefined);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : table(report));
    return 0;
  } catch (error) {
    if (error instanceof GraphQLRequestError) {
      process.stderr.write(`services-online: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
