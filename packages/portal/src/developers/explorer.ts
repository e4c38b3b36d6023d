import type { FastifyRequest } from 'fastify';
import type { Viewer } from '@hro/api/domain';
import { html } from '../pages/html.js';
import { layout } from '../pages/layout.js';
import type { ExplorerAssets } from './explorer-assets.js';

/** An operation the explorer opens in a tab of its own; the first is the default query. */
export interface ExplorerOperation {
  /** German label (for the page's list of the tabs) */
  label: string;
  query: string;
  variables?: Record<string, unknown>;
}

/**
 * The explorer's preloaded operations: each runs for anonymous readers against the sample data
 * (`explorer.test.ts` runs them over HTTP), so a newcomer's first click shows data.
 */
export const explorerOperations: ExplorerOperation[] = [
  {
    label: 'Offene Kennzahlen',
    query: `# Die offenen Kennzahlen der Digitalen Verwaltung Rostock 2030: Katalog und aktueller Stand.
# Mit ▶ (oder Strg+Enter) ausführen; links im Menü die Dokumentation des Schemas.
query OffeneKennzahlen {
  kpis {
    id
    title
    unit
    definition
  }
  kpi(id: "services.maturity", groupBy: ["level"]) {
    computedAt
    values {
      dimensions
      value
      suppressed
    }
  }
}
`,
  },
  {
    label: 'Leistungen mit Reifegrad',
    query: `# OZG-Leistungen mit ihrem Reifegrad in beiden Modellen (IST und SOLL).
query LeistungenMitReifegrad($first: Int = 10) {
  services(first: $first, filter: { kind: { eq: "ozg" } }, orderBy: TITLE_ASC) {
    totalCount
    nodes {
      key
      title
      online
      maturity {
        model
        kind
        level
        targetDate
      }
    }
  }
}
`,
    variables: { first: 10 },
  },
  {
    label: 'Datensätze',
    query: `# Der offene Datenkatalog, zuletzt geänderte zuerst.
query Datensaetze {
  datasets(first: 10, orderBy: METADATA_MODIFIED_DESC) {
    totalCount
    nodes {
      name
      title
      organizationTitle
      tags
      metadataModified
    }
  }
}
`,
  },
  {
    label: 'Seitenweise mit Variablen',
    query: `# Relay-Connection: first/after blättern. endCursor der Antwort als "after" in die Variablen
# eintragen und erneut ausführen, solange hasNextPage true ist.
query VorhabenSeitenweise($first: Int!, $after: String) {
  initiatives(first: $first, after: $after, orderBy: KEY_ASC) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      key
      title
      status
      field {
        name
      }
    }
  }
}
`,
    variables: { first: 5, after: null },
  },
];

// The media types Apollo negotiates between on GET (its prefersHTML): HTML only when the client
// prefers it to JSON, so API clients — also those sending `Accept: */*` — keep getting JSON.
const candidates = ['application/json', 'application/graphql-response+json', 'text/html'];

function quality(accept: string, type: string): number {
  let best = -1;
  let q = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const weight = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith('q='))
        ?.slice(2) ?? '1',
    );
    const [main, sub] = range.trim().split('/');
    const specificity = range.trim() === type ? 2 : sub === '*' && main === type.split('/')[0] ? 1 : range.trim() === '*/*' ? 0 : -1;
    if (specificity > best) {
      best = specificity;
      q = Number.isFinite(weight) ? weight : 0;
    }
  }
  return best < 0 ? 0 : q;
}

/** A browser navigating to /graphql: GET whose Accept header prefers HTML over JSON. */
export function wantsExplorer(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (request.method !== 'GET' || !accept) return false;
  let chosen: string | undefined;
  let top = 0;
  for (const type of candidates) {
    const q = quality(accept, type);
    if (q > top) {
      top = q;
      chosen = type;
    }
  }
  return chosen === 'text/html';
}

/**
 * The explorer page: the portal's frame around GraphiQL. The operations travel as JSON in a data
 * attribute (escaped like every value) and `static/graphiql-init.js` mounts GraphiQL on it — the
 * CSP allows no inline script. Without JavaScript the page says how to reach the API instead.
 */
export function explorerPage(viewer: Viewer, assets: ExplorerAssets): string {
  const tabs = explorerOperations.map((op) => ({
    query: op.query,
    ...(op.variables ? { variables: JSON.stringify(op.variables, null, 2) } : {}),
  }));
  const signedIn = viewer.role !== 'anonymous';
  const main = html`<h1>GraphQL-Explorer</h1>
    <p class="lead">
      Abfragen schreiben, mit Autovervollständigung und Dokumentation des Schemas, und direkt gegen diese Plattform ausführen.
      ${
        signedIn
          ? html`Sie sind angemeldet: Abfragen laufen mit Ihrer Sitzung.`
          : html`Ohne Schlüssel sehen Sie die offenen Daten. Ein eigener Schlüssel gehört in den Reiter <strong>Headers</strong>:
              <code>{"Authorization": "Bearer hro_…"}</code> – <a href="/entwickler/schluessel">Schlüssel beantragen</a>.`
      }
      Mehr in der <a href="/entwickler">Dokumentation für Entwickler</a>.
    </p>
    <p class="hint">
      Vorbereitete Abfragen (Reiter oben im Editor): ${explorerOperations.map((op, i) => html`${i > 0 ? ' · ' : ''}${op.label}`)}
    </p>
    <div id="graphiql" class="explorer" data-endpoint="/graphql" data-tabs="${JSON.stringify(tabs)}">
      <noscript>
        <p>
          Der Explorer braucht JavaScript. Die API selbst nimmt Abfragen als <code>POST /graphql</code> mit JSON entgegen – Beispiele in der
          <a href="/entwickler/schnellstart">Schnellstart-Anleitung</a>.
        </p>
      </noscript>
    </div>`;
  return layout({
    title: 'GraphQL-Explorer',
    main,
    viewer,
    breadcrumb: [{ label: 'Für Entwickler', href: '/entwickler' }, { label: 'GraphQL-Explorer' }],
    styles: assets.styles,
    scripts: assets.scripts,
    section: 'entwickler',
  });
}
