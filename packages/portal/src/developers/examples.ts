/**
 * The runnable examples of the "Für Entwickler" pages, as data: the pages render them and
 * `examples.test.ts` runs every curl snippet in a shell and every TypeScript snippet with Node
 * against a real server, then applies the example's check to what it printed — so the
 * documentation cannot drift from the API.
 *
 * Conventions of the snippets: the server is `http://localhost:8080` (the pages show the real base
 * URL instead, the test its own); a key comes from the environment variable `HRO_API_KEY`; the
 * TypeScript runs as it is under Node ≥ 22.18 (type stripping, `node example.mts`) and in browsers
 * (fetch, Web Crypto); a snippet prints the answer it got, so the check sees what a reader sees.
 */

export type DeveloperTopic =
  'schnellstart' | 'authentifizierung' | 'limits' | 'graphql' | 'fehler' | 'ckan-dcat' | 'kennzahlen' | 'persisted';

/** Returns what is wrong with a snippet's output, or undefined when it is as documented. */
export type Check = (output: string) => string | undefined;

export interface Example {
  id: string;
  topic: DeveloperTopic;
  /** German heading of the example */
  title: string;
  /** one or two German sentences: what it shows */
  description: string;
  curl: string;
  ts: string;
  /** the snippet sends `HRO_API_KEY` (a developer key) */
  needsKey?: boolean;
  /** checks of the printed output; `ts` only when the TypeScript prints something else than curl */
  check: Check;
  tsCheck?: Check;
}

/** The base URL written in the snippets; replaced by the real one on the pages and in the test. */
export const EXAMPLE_BASE = 'http://localhost:8080';

/** A dotted path into parsed JSON (`data.kpis.0.id`). */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Parses the output as JSON and checks values at paths. */
export function json(...conditions: [path: string, test: (value: unknown) => boolean, what: string][]): Check {
  return (output) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      return `not JSON: ${output.slice(0, 200)}`;
    }
    for (const [path, test, what] of conditions) {
      const value = at(parsed, path);
      if (!test(value)) return `${path}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 200)}`;
    }
    return undefined;
  };
}

/** Checks the output as text: every pattern must match. */
export function text(...patterns: RegExp[]): Check {
  return (output) => {
    const missing = patterns.find((p) => !p.test(output));
    return missing ? `output does not match ${String(missing)}: ${output.slice(0, 300)}` : undefined;
  };
}

const positive = (v: unknown) => typeof v === 'number' && v > 0;
const length = (n: number) => (v: unknown) => Array.isArray(v) && v.length === n;
const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
const equals = (expected: unknown) => (v: unknown) => v === expected;
const absent = (v: unknown) => v === undefined;
const every = (test: (item: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(test);
const contains = (test: (item: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.some(test);

export const examples: Example[] = [
  // ——— Schnellstart ———
  {
    id: 'erste-abfrage',
    topic: 'schnellstart',
    title: 'Die erste GraphQL-Abfrage',
    description: 'Drei Datensätze des Katalogs und ihre Gesamtzahl, ohne Schlüssel: offene Daten liest jeder.',
    curl: `curl -s http://localhost:8080/graphql \\
  -H 'content-type: application/json' \\
  -d '{"query":"{ datasets(first: 3) { totalCount nodes { name title } } }"}'`,
    ts: `interface Answer {
  data?: { datasets: { totalCount: number; nodes: { name: string; title: string }[] } };
  errors?: { message: string; extensions: { code: string } }[];
}

const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ datasets(first: 3) { totalCount nodes { name title } } }' }),
});
const answer = (await res.json()) as Answer;
console.log(JSON.stringify(answer));`,
    check: json(
      ['data.datasets.totalCount', positive, 'a positive count'],
      ['data.datasets.nodes', length(3), 'three datasets'],
      ['errors', absent, 'no errors'],
    ),
  },
  {
    id: 'abfrage-per-get',
    topic: 'schnellstart',
    title: 'Abfragen per GET',
    description:
      'Lesende Abfragen gehen auch per GET, etwa für Caches. Apollos CSRF-Schutz verlangt dabei den Header apollo-require-preflight (oder einen JSON-Content-Type).',
    curl: `curl -s -G http://localhost:8080/graphql \\
  -H 'apollo-require-preflight: true' \\
  --data-urlencode 'query={ kpis { id title unit } }'`,
    ts: `const url = new URL('http://localhost:8080/graphql');
url.searchParams.set('query', '{ kpis { id title unit } }');
const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
console.log(JSON.stringify(await res.json()));`,
    check: json(['data.kpis', contains((k) => at(k, 'id') === 'services.online'), 'the KPI services.online']),
  },
  {
    id: 'ckan-suche',
    topic: 'schnellstart',
    title: 'Datensätze über die CKAN-API suchen',
    description: 'Werkzeuge, die CKAN kennen, lesen den Katalog ohne Anpassung: package_search mit Volltext.',
    curl: `curl -s 'http://localhost:8080/api/3/action/package_search?q=Rostock&rows=2'`,
    ts: `const res = await fetch('http://localhost:8080/api/3/action/package_search?q=Rostock&rows=2');
const body = (await res.json()) as { success: boolean; result: { count: number; results: { name: string }[] } };
console.log(JSON.stringify(body));`,
    check: json(['success', equals(true), 'true'], ['result.count', positive, 'matches'], ['result.results', length(2), 'two results']),
  },

  // ——— Authentifizierung ———
  {
    id: 'mit-schluessel',
    topic: 'authentifizierung',
    title: 'Mit API-Schlüssel abfragen',
    description:
      'Der Schlüssel steht im Header Authorization, mit oder ohne „Bearer“. Ein Entwicklerschlüssel liest dieselben Daten wie anonyme Aufrufe, mit höherem Rate-Limit.',
    needsKey: true,
    curl: `curl -s http://localhost:8080/graphql \\
  -H "Authorization: Bearer $HRO_API_KEY" \\
  -H 'content-type: application/json' \\
  -d '{"query":"{ services(first: 2) { totalCount nodes { key title online } } }"}'`,
    ts: `const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: {
    authorization: \`Bearer \${process.env.HRO_API_KEY}\`,
    'content-type': 'application/json',
  },
  body: JSON.stringify({ query: '{ services(first: 2) { totalCount nodes { key title online } } }' }),
});
console.log(JSON.stringify(await res.json()));`,
    check: json(
      ['data.services.totalCount', positive, 'services'],
      ['data.services.nodes', length(2), 'two services'],
      ['errors', absent, 'no errors'],
    ),
  },
  {
    id: 'falscher-schluessel',
    topic: 'authentifizierung',
    title: 'Ein ungültiger Schlüssel',
    description:
      'Ein Schlüssel, der nicht stimmt oder gesperrt ist, wird mit HTTP 401 und dem Code UNAUTHENTICATED abgewiesen — nie still als anonymer Aufruf behandelt.',
    curl: `curl -s http://localhost:8080/graphql \\
  -H 'Authorization: Bearer hro_000000000000_ungueltigungueltigungueltigungueltig' \\
  -H 'content-type: application/json' \\
  -d '{"query":"{ kpis { id } }"}'`,
    ts: `const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: {
    authorization: 'Bearer hro_000000000000_ungueltigungueltigungueltigungueltig',
    'content-type': 'application/json',
  },
  body: JSON.stringify({ query: '{ kpis { id } }' }),
});
console.log(res.status, JSON.stringify(await res.json()));`,
    check: text(/"code":"UNAUTHENTICATED"/),
    tsCheck: text(/^401 /, /"code":"UNAUTHENTICATED"/),
  },

  // ——— Limits ———
  {
    id: 'rate-limit-header',
    topic: 'limits',
    title: 'Die Rate-Limit-Header lesen',
    description: 'Jede Antwort nennt das Limit, die verbleibenden Anfragen und die Sekunden bis zum neuen Zeitfenster.',
    curl: `curl -s -o /dev/null -D - http://localhost:8080/api/3/action/status_show`,
    ts: `const res = await fetch('http://localhost:8080/api/3/action/status_show');
for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']) {
  console.log(\`\${name}: \${res.headers.get(name)}\`);
}`,
    check: text(/^ratelimit-limit: \d+\r?$/im, /^ratelimit-remaining: \d+\r?$/im, /^ratelimit-reset: \d+\r?$/im),
  },
  {
    id: 'rate-limit-schluessel',
    topic: 'limits',
    title: 'Das Limit eines Schlüssels',
    description: 'Mit Schlüssel zählt das Limit je Schlüssel statt je IP-Adresse, und es ist höher.',
    needsKey: true,
    curl: `curl -s -o /dev/null -D - http://localhost:8080/api/3/action/status_show \\
  -H "Authorization: Bearer $HRO_API_KEY"`,
    ts: `const res = await fetch('http://localhost:8080/api/3/action/status_show', {
  headers: { authorization: \`Bearer \${process.env.HRO_API_KEY}\` },
});
console.log(\`ratelimit-limit: \${res.headers.get('ratelimit-limit')}\`);`,
    check: text(/^ratelimit-limit: \d+\r?$/im),
  },
  {
    id: 'rate-limit-warten',
    topic: 'limits',
    title: 'Höflich wiederholen',
    description:
      'Ein Client, der das Limit erreicht, bekommt HTTP 429 mit Retry-After (Sekunden) und wartet so lange. Diese Hilfsfunktion tut das für jede Anfrage.',
    curl: `# curl wartet selbst: --retry beachtet Retry-After bei 429 und 503
curl -s --retry 3 'http://localhost:8080/api/3/action/package_list'`,
    ts: `async function politeFetch(url: string, init?: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init);
    if ((res.status !== 429 && res.status !== 503) || attempt >= attempts) return res;
    const seconds = Number(res.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

const res = await politeFetch('http://localhost:8080/api/3/action/package_list');
console.log(JSON.stringify(await res.json()));`,
    check: json(['success', equals(true), 'true'], ['result', nonEmpty, 'dataset names']),
  },

  // ——— GraphQL: Seiten, Filter, Sortierung ———
  {
    id: 'seitenweise',
    topic: 'graphql',
    title: 'Seitenweise lesen (Relay-Cursor)',
    description:
      'Jede Liste ist eine Relay-Connection: first (höchstens 100) und after blättern vorwärts, pageInfo sagt, ob es weitergeht. Die TypeScript-Fassung liest alle Seiten.',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' -d @- <<'EOF'
{
  "query": "query Seite($first: Int!, $after: String) { initiatives(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { key title } } }",
  "variables": { "first": 5, "after": null }
}
EOF`,
    ts: `const query = \`query Seite($first: Int!, $after: String) {
  initiatives(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { key title }
  }
}\`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { key: string; title: string }[];
}

const keys: string[] = [];
let after: string | null = null;
let total = 0;
do {
  const res = await fetch('http://localhost:8080/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { first: 5, after } }),
  });
  const { data } = (await res.json()) as { data: { initiatives: Page } };
  keys.push(...data.initiatives.nodes.map((n) => n.key));
  total = data.initiatives.totalCount;
  after = data.initiatives.pageInfo.hasNextPage ? data.initiatives.pageInfo.endCursor : null;
} while (after !== null);
console.log(JSON.stringify({ total, read: keys.length, first: keys[0] }));`,
    check: json(
      ['data.initiatives.nodes', length(5), 'the first five'],
      ['data.initiatives.pageInfo.hasNextPage', equals(true), 'a next page'],
      ['data.initiatives.pageInfo.endCursor', (v) => typeof v === 'string' && v.length > 0, 'a cursor'],
    ),
    tsCheck: (output) => {
      const problem = json(['total', positive, 'a total'], ['read', positive, 'rows read'])(output);
      if (problem) return problem;
      const { total, read } = JSON.parse(output) as { total: number; read: number };
      return total === read ? undefined : `read ${read} of ${total}`;
    },
  },
  {
    id: 'filtern-sortieren',
    topic: 'graphql',
    title: 'Filtern und sortieren',
    description:
      'filter nimmt je Feld Operatoren (eq, in, icontains …), auch über Beziehungen hinweg; orderBy ist FELD_ASC oder FELD_DESC. Hier: OZG-Leistungen mit „Genehmigung“ im Titel, alphabetisch, mit ihren Reifegraden.',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' -d @- <<'EOF'
{
  "query": "query Genehmigungen($first: Int!) { services(first: $first, filter: { kind: { eq: \\"ozg\\" }, title: { icontains: \\"genehmigung\\" } }, orderBy: TITLE_ASC) { totalCount nodes { key title online maturity { model kind level } } } }",
  "variables": { "first": 5 }
}
EOF`,
    ts: `const query = \`query Genehmigungen($first: Int!) {
  services(first: $first, filter: { kind: { eq: "ozg" }, title: { icontains: "genehmigung" } }, orderBy: TITLE_ASC) {
    totalCount
    nodes { key title online maturity { model kind level } }
  }
}\`;
const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables: { first: 5 } }),
});
console.log(JSON.stringify(await res.json()));`,
    check: json(
      ['data.services.totalCount', positive, 'matching services'],
      ['data.services.nodes', every((n) => /genehmigung/i.test(String(at(n, 'title')))), 'titles with the word'],
    ),
  },
  {
    id: 'textsuche',
    topic: 'graphql',
    title: 'Text ohne Groß- und Akzentschreibung suchen',
    description:
      'icontains ignoriert Groß- und Kleinschreibung und Akzente: „amter“ findet „Ämter“. Bedingungen lassen sich mit and, or und not verbinden.',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' \\
  -d '{"query":"{ initiatives(first: 10, filter: { or: [{ title: { icontains: \\"digital\\" } }, { title: { icontains: \\"verwaltung\\" } }] }, orderBy: TITLE_ASC) { totalCount nodes { key title } } }"}'`,
    ts: `const query = \`{
  initiatives(
    first: 10
    filter: { or: [{ title: { icontains: "digital" } }, { title: { icontains: "verwaltung" } }] }
    orderBy: TITLE_ASC
  ) {
    totalCount
    nodes { key title }
  }
}\`;
const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
});
console.log(JSON.stringify(await res.json()));`,
    check: json(
      ['data.initiatives.totalCount', positive, 'matches'],
      ['data.initiatives.nodes', every((n) => /digital|verwaltung/i.test(String(at(n, 'title')))), 'titles with the words'],
    ),
  },

  // ——— Fehler ———
  {
    id: 'fehler-nicht-gefunden',
    topic: 'fehler',
    title: 'Ein Fehler in GraphQL',
    description: 'Fehler stehen in errors, jeder mit einem stabilen Code in extensions.code, auf den ein Client verzweigen kann.',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' \\
  -d '{"query":"{ initiative(key: \\"V99\\") { title } }"}'`,
    ts: `interface GraphQLAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}
const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ initiative(key: "V99") { title } }' }),
});
const answer = (await res.json()) as GraphQLAnswer;
if (answer.errors?.some((e) => e.extensions?.code === 'NOT_FOUND')) console.error('Vorhaben V99 gibt es nicht');
console.log(JSON.stringify(answer));`,
    check: json(['errors.0.extensions.code', equals('NOT_FOUND'), 'NOT_FOUND']),
  },
  {
    id: 'fehler-ckan',
    topic: 'fehler',
    title: 'Ein Fehler in der CKAN-API',
    description: 'Die CKAN-API antwortet wie CKAN 2.11: success false, error mit __type und message, dazu der HTTP-Status (hier 404).',
    curl: `curl -s 'http://localhost:8080/api/3/action/package_show?id=gibt-es-nicht'`,
    ts: `const res = await fetch('http://localhost:8080/api/3/action/package_show?id=gibt-es-nicht');
console.log(JSON.stringify({ status: res.status, ...((await res.json()) as object) }));`,
    check: json(['success', equals(false), 'false'], ['error.__type', equals('Not Found Error'), 'Not Found Error']),
    tsCheck: json(['status', equals(404), '404'], ['error.__type', equals('Not Found Error'), 'Not Found Error']),
  },
  {
    id: 'fehler-limit',
    topic: 'fehler',
    title: 'Eine zu große Abfrage',
    description: 'Seiten über 100 Einträge, zu tiefe oder zu teure Abfragen werden vor der Ausführung abgewiesen.',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' \\
  -d '{"query":"{ services(first: 500) { nodes { key } } }"}'`,
    ts: `const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ services(first: 500) { nodes { key } } }' }),
});
console.log(JSON.stringify(await res.json()));`,
    check: json(
      ['errors.0.extensions.code', (v) => typeof v === 'string' && v.length > 0, 'a code'],
      ['data', (v) => v === undefined || v === null, 'no data'],
    ),
  },

  // ——— CKAN und DCAT ———
  {
    id: 'ckan-datensatz',
    topic: 'ckan-dcat',
    title: 'Einen Datensatz mit Ressourcen lesen',
    description: 'package_show liefert die Metadaten und die Ressourcen eines Datensatzes, mit Download-URLs.',
    curl: `curl -s 'http://localhost:8080/api/3/action/package_show?id=ozg-leistungen'`,
    ts: `interface Resource { id: string; format: string; url: string; datastore_active: boolean }
const res = await fetch('http://localhost:8080/api/3/action/package_show?id=ozg-leistungen');
const { result } = (await res.json()) as { result: { name: string; title: string; resources: Resource[] } };
console.log(JSON.stringify({ success: true, result }));`,
    check: json(['result.name', equals('ozg-leistungen'), 'ozg-leistungen'], ['result.resources', nonEmpty, 'resources']),
  },
  {
    id: 'datastore-suche',
    topic: 'ckan-dcat',
    title: 'Tabellenzeilen aus dem DataStore',
    description:
      'datastore_search liest die Zeilen einer Ressource mit filters, q, sort, limit und offset. Die Ressourcen-ID kommt aus package_show (curl-Fassung mit jq).',
    curl: `RESOURCE=$(curl -s 'http://localhost:8080/api/3/action/package_show?id=ozg-leistungen' \\
  | jq -r '.result.resources[] | select(.datastore_active) | .id' | head -n 1)
curl -s "http://localhost:8080/api/3/action/datastore_search?resource_id=$RESOURCE&limit=3&sort=title"`,
    ts: `const base = 'http://localhost:8080/api/3/action';
const show = (await (await fetch(\`\${base}/package_show?id=ozg-leistungen\`)).json()) as {
  result: { resources: { id: string; datastore_active: boolean }[] };
};
const resource = show.result.resources.find((r) => r.datastore_active);
if (!resource) throw new Error('keine DataStore-Ressource');
const params = new URLSearchParams({ resource_id: resource.id, limit: '3', sort: 'title' });
const res = await fetch(\`\${base}/datastore_search?\${params}\`);
console.log(JSON.stringify(await res.json()));`,
    check: json(['success', equals(true), 'true'], ['result.records', length(3), 'three records'], ['result.total', positive, 'a total']),
  },
  {
    id: 'dcat-katalog',
    topic: 'ckan-dcat',
    title: 'Der DCAT-AP.de-Katalog',
    description:
      'Der Katalog für Harvester, als Turtle, RDF/XML, JSON-LD oder N-Triples, 100 Datensätze je Seite (?page=2), mit ?modified_since= nur Geändertes.',
    curl: `curl -s 'http://localhost:8080/catalog.jsonld?modified_since=2020-01-01'`,
    ts: `const res = await fetch('http://localhost:8080/catalog', { headers: { accept: 'application/ld+json' } });
const catalog = (await res.json()) as { '@graph': { '@type'?: string | string[] }[] };
const datasets = catalog['@graph'].filter((node) => [node['@type']].flat().includes('dcat:Dataset'));
console.log(JSON.stringify({ datasets: datasets.length }));`,
    check: text(/"@graph"/, /dcat:Dataset/),
    tsCheck: json(['datasets', positive, 'datasets']),
  },
  {
    id: 'dcat-datensatz',
    topic: 'ckan-dcat',
    title: 'Ein Datensatz als Turtle',
    description: 'Jeder Datensatz hat seine RDF-Fassung unter /dataset/<name>.ttl (auch .rdf, .jsonld, .nt).',
    curl: `curl -s http://localhost:8080/dataset/stadtbereiche-rostock.ttl`,
    ts: `const res = await fetch('http://localhost:8080/dataset/stadtbereiche-rostock.ttl');
console.log(res.headers.get('content-type'));
console.log(await res.text());`,
    check: text(/a dcat:Dataset/, /dcat:distribution/),
    tsCheck: text(/^text\/turtle/, /a dcat:Dataset/),
  },

  // ——— Kennzahlen ———
  {
    id: 'kennzahlen-katalog',
    topic: 'kennzahlen',
    title: 'Welche Kennzahlen es gibt',
    description: 'kpis liefert den Katalog mit der schriftlichen Definition (Zähler, Nenner), Einheit, Quelle und Dimensionen.',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' \\
  -d '{"query":"{ kpis { id title unit definition dimensions internal } }"}'`,
    ts: `interface Kpi { id: string; title: string; unit: 'count' | 'share' | 'EUR'; definition: string; dimensions: string[]; internal: boolean }
const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ kpis { id title unit definition dimensions internal } }' }),
});
const { data } = (await res.json()) as { data: { kpis: Kpi[] } };
console.log(JSON.stringify({ data }));`,
    check: json(
      ['data.kpis', contains((k) => at(k, 'id') === 'services.maturity'), 'services.maturity'],
      ['data.kpis', every((k) => at(k, 'internal') === false), 'only open KPIs for anonymous readers'],
    ),
  },
  {
    id: 'kennzahl-wert',
    topic: 'kennzahlen',
    title: 'Eine Kennzahl, nach Dimension aufgeteilt',
    description:
      'kpi liefert die Werte des letzten ETL-Laufs (oder mit asOf eines früheren), mit groupBy aufgeteilt. Zahlen von 1 bis 4 sind für anonyme Aufrufe zurückgehalten (suppressed).',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' \\
  -d '{"query":"{ kpi(id: \\"services.maturity\\", groupBy: [\\"level\\"]) { computedAt runId values { dimensions value suppressed } } }"}'`,
    ts: `const query = \`{
  kpi(id: "services.maturity", groupBy: ["level"]) {
    computedAt
    runId
    values { dimensions value suppressed }
  }
}\`;
const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
});
console.log(JSON.stringify(await res.json()));`,
    check: json(
      ['data.kpi.values', nonEmpty, 'values'],
      ['data.kpi.values', every((v) => typeof at(v, 'dimensions.level') === 'string'), 'a level per value'],
    ),
  },
  {
    id: 'kennzahl-zeitreihe',
    topic: 'kennzahlen',
    title: 'Die Zeitreihe einer Kennzahl',
    description: 'Jeder ETL-Lauf schreibt einen Stand jeder Kennzahl; kpiSeries gibt sie als Zeitreihe zurück.',
    curl: `curl -s http://localhost:8080/graphql -H 'content-type: application/json' \\
  -d '{"query":"{ kpiSeries(id: \\"services.online\\") { runId computedAt value suppressed } }"}'`,
    ts: `const res = await fetch('http://localhost:8080/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ kpiSeries(id: "services.online") { runId computedAt value suppressed } }' }),
});
const { data } = (await res.json()) as { data: { kpiSeries: { runId: number; computedAt: string; value: number | null }[] } };
console.log(JSON.stringify({ data }));`,
    check: json(['data.kpiSeries', nonEmpty, 'points'], ['data.kpiSeries.0.runId', positive, 'a run id']),
  },
  {
    id: 'kennzahl-csv',
    topic: 'kennzahlen',
    title: 'Eine Kennzahl als CSV',
    description: 'Dieselben Werte wie auf der Seite „Digitale Verwaltung in Zahlen“, als CSV: art=werte (aktuell) oder art=zeitreihe.',
    curl: `curl -s 'http://localhost:8080/kennzahlen/daten.csv?kpi=services.maturity&art=werte'`,
    ts: `const res = await fetch('http://localhost:8080/kennzahlen/daten.csv?kpi=services.maturity&art=werte');
console.log(await res.text());`,
    check: text(/^.*level.*\r?\n/i, /\d/),
  },

  // ——— Persisted operations ———
  {
    id: 'persisted-operation',
    topic: 'persisted',
    title: 'Eine Operation registrieren und per Hash aufrufen',
    description:
      'Der Hash ist SHA-256 (hex) des Dokumenttexts. Einmal mit Text und Hash senden, danach genügt der Hash — per GET, sodass HTTP-Caches die Antwort halten können.',
    curl: `QUERY='query Kennzahlen { kpis { id title } }'
HASH=$(printf '%s' "$QUERY" | sha256sum | cut -d ' ' -f 1)
EXT="{\\"persistedQuery\\":{\\"version\\":1,\\"sha256Hash\\":\\"$HASH\\"}}"
# 1. registrieren: Dokument und Hash zusammen (einmal)
curl -s -o /dev/null http://localhost:8080/graphql -H 'content-type: application/json' \\
  -d "{\\"query\\":\\"$QUERY\\",\\"extensions\\":$EXT}"
# 2. aufrufen: nur der Hash, per GET
curl -s -G http://localhost:8080/graphql -H 'apollo-require-preflight: true' \\
  --data-urlencode "extensions=$EXT"`,
    ts: `const query = 'query Kennzahlen { kpis { id title } }';
const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(query));
const sha256Hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
const extensions = { persistedQuery: { version: 1, sha256Hash } };

async function byHash(): Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }> {
  const url = new URL('http://localhost:8080/graphql');
  url.searchParams.set('extensions', JSON.stringify(extensions));
  const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
  return (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

let answer = await byHash();
if (answer.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') {
  // unbekannt: einmal mit Dokument registrieren, dann wieder per Hash
  await fetch('http://localhost:8080/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, extensions }),
  });
  answer = await byHash();
}
console.log(JSON.stringify(answer));`,
    check: json(['data.kpis', nonEmpty, 'the KPIs'], ['errors', absent, 'no errors']),
  },
];

/** The examples of one topic, in the order above. */
export function examplesOf(topic: DeveloperTopic): Example[] {
  return examples.filter((e) => e.topic === topic);
}
