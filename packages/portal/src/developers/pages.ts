import type { Viewer } from '@hro/api/domain';
import { defaultLimits } from '@hro/api/graphql';
import { html, type SafeHtml } from '../pages/html.js';
import { layout } from '../pages/layout.js';
import type { RateLimits } from '../http/rate-limit.js';
import { errorCodeRows } from './error-codes.js';
import { EXAMPLE_BASE, examplesOf, type DeveloperTopic, type Example } from './examples.js';

/** What a page needs to know about the running server: its address and its limits. */
export interface DeveloperPageContext {
  viewer: Viewer;
  /** the public base URL, written into the snippets instead of localhost:8080 */
  baseUrl: string;
  rateLimits: RateLimits;
}

interface Topic {
  slug: DeveloperTopic;
  title: string;
  /** one line for the overview */
  summary: string;
  body: (ctx: DeveloperPageContext) => SafeHtml;
}

const code = (text: string) => html`<code>${text}</code>`;

export const topics: Topic[] = [
  {
    slug: 'schnellstart',
    title: 'In fünf Minuten starten',
    summary: 'Die erste Abfrage per GraphQL und per CKAN-API, ohne Anmeldung.',
    body: () =>
      html`<p>
          Die Plattform hat drei Schnittstellen auf einem Server: die <strong>GraphQL-API</strong> unter ${code('/graphql')} (das ganze
          Datenmodell: Vorhaben, Projekte, Leistungen, Fachverfahren, Geodaten, Kennzahlen, Katalog), die
          <strong>CKAN Action API</strong> unter ${code('/api/3/action/…')} (der Datenkatalog, wie CKAN 2.11 ihn liefert) und den
          <strong>DCAT-AP.de-Katalog</strong> für Harvester. Offene Daten lesen Sie ohne Schlüssel.
        </p>
        <ol>
          <li>Eine Abfrage mit curl oder TypeScript abschicken (unten) – die Beispiele laufen so, wie sie hier stehen.</li>
          <li>Im <a href="/graphql">GraphQL-Explorer</a> das Schema erkunden: Autovervollständigung, Dokumentation, Beispielabfragen.</li>
          <li>Für mehr Anfragen je Minute einen <a href="/entwickler/schluessel">API-Schlüssel beantragen</a>.</li>
        </ol>
        <p>
          Die TypeScript-Beispiele brauchen nur ${code('fetch')}: sie laufen im Browser und mit Node ab 22.18 direkt aus der Datei
          (${code('node beispiel.mts')}, ohne Build). Einen typisierten Client, aus dem Schema erzeugt, zeigt das Beispielpaket
          ${code('examples/services-online')} im Repository; das Schema selbst liegt unter ${code('schema/schema.graphql')}.
        </p>`,
  },
  {
    slug: 'authentifizierung',
    title: 'Authentifizierung und Schlüssel',
    summary: 'API-Schlüssel im Header Authorization, Rollen, Sitzung im Browser.',
    body: () =>
      html`<p>
          Ohne Schlüssel lesen Sie alles Offene. Ein <strong>API key</strong> hat die Form ${code('hro_<prefix>_<secret>')} und geht im
          Header ${code('Authorization')} mit: ${code('Authorization: Bearer hro_…')} oder ohne „Bearer“ (wie bei CKAN). Gespeichert wird
          nur ein scrypt-Hash; den Schlüssel sehen Sie einmal, bei der Ausgabe.
        </p>
        <ul>
          <li>
            <strong>Einen Schlüssel bekommen:</strong> <a href="/entwickler/schluessel">Schlüssel beantragen</a> – nach der Freigabe durch
            den Betrieb erhalten Sie einen Schlüssel der Rolle <em>developer</em>.
          </li>
          <li>
            <strong>Rollen:</strong> anonymous (offene Daten), developer (dieselben Daten, höheres Rate-Limit), steering (auch interne Daten
            und Kennzahlen), admin (Betrieb).
          </li>
          <li>
            <strong>Im Browser:</strong> wer sich unter <a href="/anmelden">Anmelden</a> mit seinem Schlüssel anmeldet, erhält ein
            Sitzungs-Cookie; der <a href="/graphql">Explorer</a> und alle Schnittstellen gelten dann mit dieser Rolle.
          </li>
          <li>
            <strong>Single Sign-on:</strong> ist ein OIDC-Aussteller konfiguriert, gilt ein JWT als ${code('Authorization: Bearer <token>')}
            ebenso.
          </li>
          <li>
            <strong>Ungültig heißt abgewiesen:</strong> ein falscher oder gesperrter Schlüssel wird nie still als anonymer Aufruf behandelt,
            sondern mit 401 ${code('UNAUTHENTICATED')} beantwortet.
          </li>
        </ul>
        <p>
          Den Schlüssel bitte nie in Quelltext oder Repository schreiben – die Beispiele lesen ihn aus der Umgebungsvariable
          ${code('HRO_API_KEY')}.
        </p>`,
  },
  {
    slug: 'limits',
    title: 'Rate-Limits und ihre Header',
    summary: 'Wie viele Anfragen je Minute, die RateLimit-Header, 429 mit Retry-After; Grenzen einer GraphQL-Abfrage.',
    body: (ctx) =>
      html`<div class="table-wrap">
          <table>
            <caption>
              Anfragen je Minute auf diesem Server
            </caption>
            <thead>
              <tr>
                <th scope="col">Aufruf</th>
                <th scope="col" class="num">Limit</th>
                <th scope="col">gezählt je</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">ohne Schlüssel</th>
                <td class="num">${ctx.rateLimits.anonymous.toLocaleString('de-DE')}</td>
                <td>IP-Adresse</td>
              </tr>
              <tr>
                <th scope="row">mit Schlüssel</th>
                <td class="num">${ctx.rateLimits.key.toLocaleString('de-DE')}</td>
                <td>Schlüssel</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          Jede Antwort trägt die Header nach dem IETF-Entwurf: ${code('RateLimit-Limit')} (Anfragen je Fenster),
          ${code('RateLimit-Remaining')} (noch frei) und ${code('RateLimit-Reset')} (Sekunden bis zum nächsten Fenster von 60 s). Darüber
          hinaus antwortet der Server mit <strong>429</strong>, dem Header ${code('Retry-After')} (Sekunden) und dem Code
          ${code('RATE_LIMITED')}; die CKAN-API mit ${code('"__type": "Rate Limit Error"')}. Gezählt wird je Serverprozess.
        </p>
        <h2>Grenzen einer GraphQL-Abfrage</h2>
        <ul>
          <li>Seiten: ${code('first')}/${code('last')} höchstens 100 (ohne Angabe 20).</li>
          <li>
            Tiefe höchstens ${defaultLimits.maxDepth} (${code('QUERY_TOO_DEEP')}), höchstens ${defaultLimits.maxAliases} Aliase
            (${code('TOO_MANY_ALIASES')}).
          </li>
          <li>
            Geschätzte Kosten höchstens ${defaultLimits.maxComplexity.toLocaleString('de-DE')}; eine Connection kostet ihre Seitengröße mal
            ihre Kindfelder (${code('QUERY_TOO_COMPLEX')}).
          </li>
          <li>Eine Operation je Anfrage (keine Batches), Anfragen bis 100 KB.</li>
        </ul>`,
  },
  {
    slug: 'graphql',
    title: 'Seiten, Filter und Sortierung',
    summary: 'Relay-Connections mit Cursorn, filter- und orderBy-Eingaben, die für jede Liste gleich funktionieren.',
    body: () =>
      html`<p>
          Jede Liste (${code('initiatives')}, ${code('projects')}, ${code('services')}, ${code('procedures')}, ${code('datasets')},
          ${code('orgUnits')}, ${code('geoFeatures')}) ist eine <strong>Relay connection</strong> mit ${code('nodes')}, ${code('edges')}
          (mit ${code('cursor')}), ${code('pageInfo')} und auf Wunsch ${code('totalCount')} (kostet eine zusätzliche Zählung: nur abfragen,
          wenn nötig). Vorwärts blättern Sie mit ${code('first')} und ${code('after: pageInfo.endCursor')}, rückwärts mit ${code('last')}
          und ${code('before')}. Cursor sind stabil, auch wenn neue Einträge dazukommen. Einzelne Objekte finden Sie über ihren Schlüssel
          (${code('initiative(key:)')}, ${code('orgUnit(code:)')} …) oder global über ${code('node(id:)')}.
        </p>
        <h2>filter</h2>
        <p>
          ${code('filter')} ist ein Objekt aus Feldern mit Operatoren. Text: ${code('eq')}, ${code('ne')}, ${code('in')}, ${code('notIn')},
          ${code('lt')}, ${code('gt')}, ${code('contains')}, ${code('icontains')} (ohne Groß-/Kleinschreibung und Akzente),
          ${code('startsWith')}, ${code('isNull')}; Zahlen und Daten (${code('YYYY-MM-DD')}) zusätzlich ${code('lte')}, ${code('gte')}.
          Mehrere Felder gelten zusammen (und); ${code('and')}, ${code('or')} und ${code('not')} nehmen Filter. Beziehungen filtern Sie über
          ihre Felder hinweg, z. B. ${code('projects(filter: { initiative: { field: { key: { eq: "ozg" } } } })')}. Höchstens 200
          Bedingungen je Filter. Filter auf interne Felder brauchen die Rolle, die das Feld lesen darf.
        </p>
        <h2>orderBy</h2>
        <p>
          Werte der Form ${code('FELD_ASC')} oder ${code('FELD_DESC')} (z. B. ${code('TITLE_ASC')}, ${code('METADATA_MODIFIED_DESC')}).
          Gleichstände entscheidet der Schlüssel der Liste, fehlende Werte stehen am Ende; das Blättern bleibt in jeder Sortierung stabil.
        </p>`,
  },
  {
    slug: 'fehler',
    title: 'Fehlercodes',
    summary: 'Die stabilen Codes in GraphQL und CKAN-API, mit HTTP-Status.',
    body: () =>
      html`<p>
          Fehler tragen einen stabilen Code, auf den ein Client verzweigen kann; die Meldung ist für Menschen und kann sich ändern. In
          GraphQL steht der Code in ${code('errors[].extensions.code')}, in den übrigen JSON-Antworten in ${code('error.code')}, in der
          CKAN-API als ${code('error.__type')} wie bei CKAN. Nie enthält eine Antwort einen Stacktrace oder SQL.
        </p>
        <div class="table-wrap">
          <table class="error-codes">
            <caption>
              Fehlercodes (aus der Fehlertabelle des Codes erzeugt)
            </caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col" class="num">HTTP</th>
                <th scope="col">CKAN <code>__type</code></th>
                <th scope="col">Bedeutung</th>
              </tr>
            </thead>
            <tbody>
              ${errorCodeRows().map(
                (row) =>
                  html`<tr>
                    <th scope="row"><code>${row.code}</code></th>
                    <td class="num">${row.http}</td>
                    <td>${row.ckanType ?? '–'}</td>
                    <td>${row.explanation}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <p>
          Feldfehler einer sonst erfolgreichen GraphQL-Abfrage kommen mit HTTP 200 und den übrigen Daten; abgewiesene Anfragen (Schlüssel,
          Limits, Syntax) mit dem Status der Tabelle. Die CKAN-API folgt CKAN 2.11: 409 ${code('Validation Error')} je Feld, 404
          ${code('Not Found Error')}, 403 ${code('Authorization Error')}, 400 ${code('Search Query Error')}.
        </p>`,
  },
  {
    slug: 'ckan-dcat',
    title: 'CKAN-API und DCAT',
    summary: 'Die CKAN Action API (lesend, mit DataStore) und der DCAT-AP.de-Katalog für Harvester.',
    body: () =>
      html`<p>
          ${code('/api/3/action/<name>')} (auch ${code('/api/action/<name>')}) antwortet wie CKAN 2.11, GET oder POST:
          ${code('package_search')}, ${code('package_show')}, ${code('package_list')}, ${code('current_package_list_with_resources')},
          ${code('resource_show')}, ${code('organization_list')}/${code('_show')}, ${code('group_list')}/${code('_show')},
          ${code('tag_list')}, ${code('license_list')}, ${code('status_show')} und der DataStore: ${code('datastore_search')},
          ${code('datastore_info')}, ${code('/datastore/dump/<resource id>')}. Downloads je Ressource gibt es als CSV, JSON, GeoJSON und
          XLSX unter ${code('/dataset/<name>/resource/<id>/download?format=…')}.
        </p>
        <p>
          Der <strong>DCAT-AP.de</strong>-Katalog liegt unter ${code('/catalog.ttl')} (auch ${code('.rdf')}, ${code('.jsonld')},
          ${code('.nt')}, ${code('.n3')}) und unter ${code('/catalog')} mit Content Negotiation über ${code('Accept')}; 100 Datensätze je
          Seite (${code('?page=2')}, Hydra-Links), ${code('?modified_since=')} für inkrementelles Harvesting. Jeder Datensatz einzeln:
          ${code('/dataset/<name>.ttl')}. Interne Datensätze erscheinen nie im Katalog.
        </p>`,
  },
  {
    slug: 'kennzahlen',
    title: 'Die Kennzahlen-API',
    summary: 'Der Kennzahlenkatalog mit Definitionen, aktuelle Werte nach Dimensionen, Zeitreihen, CSV.',
    body: () =>
      html`<p>
          Die Kennzahlen der Digitalen Verwaltung Rostock 2030 – dieselben wie auf
          <a href="/kennzahlen">Digitale Verwaltung in Zahlen</a> – liefert GraphQL: ${code('kpis')} (Katalog mit Definition, Zähler und
          Nenner, Einheit ${code('count')}, ${code('share')} oder ${code('EUR')}, Quelle, Dimensionen),
          ${code('kpi(id, groupBy, filter, asOf)')} (Werte des letzten oder eines früheren ETL-Laufs, nach Dimensionen aufgeteilt) und
          ${code('kpiSeries(id, groupBy, filter)')} (die Zeitreihe über die Läufe). Anteile werden beim Zusammenfassen aus Zählern und
          Nennern neu berechnet.
        </p>
        <p>
          Datenschutz: für anonyme Aufrufe und Entwicklerschlüssel sind Zählwerte von 1 bis 4 und Anteile über so kleine Gruppen
          zurückgehalten (${code('suppressed: true')}, ${code('value: null')}). Interne Kennzahlen (Kosten, überfällige Meilensteine) gibt
          es nur mit der Steuerungsrolle.
        </p>`,
  },
  {
    slug: 'persisted',
    title: 'Persisted operations',
    summary: 'Operationen per SHA-256-Hash aufrufen, per GET und damit cachebar (Apollo-APQ-Konvention).',
    body: () =>
      html`<p>
          Eine Operation lässt sich über den <strong>SHA-256-Hash</strong> (hex, klein) ihres Texts aufrufen:
          ${code('extensions: {"persistedQuery": {"version": 1, "sha256Hash": "<hash>"}}')} – die Konvention von Apollos Automatic Persisted
          Queries, die auch Relay nutzt. Ein unbekannter Hash wird mit ${code('PERSISTED_QUERY_NOT_FOUND')} beantwortet; dann sendet der
          Client Dokument und Hash einmal zusammen, danach genügt der Hash.
        </p>
        <ul>
          <li>
            Per <strong>GET</strong> (${code('/graphql?extensions=…&variables=…')}) mit dem Header ${code('apollo-require-preflight: true')}
            (Apollos CSRF-Schutz). Anonyme Antworten ohne Fehler sind ${code('Cache-Control: public, max-age=60')} und damit für Caches und
            CDNs geeignet.
          </li>
          <li>
            Betreibt der Server eine <strong>Allowlist</strong> (${code('HRO_GRAPHQL_ALLOWLIST')}), laufen im Modus ${code('enforce')} für
            anonyme Aufrufe und Entwicklerschlüssel nur die gelisteten Operationen (sonst ${code('PERSISTED_QUERY_NOT_ALLOWED')}, HTTP 403).
          </li>
        </ul>`,
  },
];

/** A snippet's text for the reader: the server's own address instead of the placeholder. */
const forReader = (snippet: string, baseUrl: string) => snippet.replaceAll(EXAMPLE_BASE, baseUrl);

function exampleBlock(example: Example, baseUrl: string): SafeHtml {
  const id = `beispiel-${example.id}`;
  return html`<section class="example" aria-labelledby="${id}">
    <h3 id="${id}">${example.title}</h3>
    <p>
      ${example.description}${example.needsKey ? html` <span class="hint">(Braucht einen Schlüssel in ${code('HRO_API_KEY')}.)</span>` : ''}
    </p>
    <figure class="snippet">
      <figcaption>curl</figcaption>
      <pre tabindex="0" aria-label="curl: ${example.title}"><code data-copy="curl">${forReader(example.curl, baseUrl)}</code></pre>
    </figure>
    <figure class="snippet">
      <figcaption>TypeScript (fetch)</figcaption>
      <pre
        tabindex="0"
        aria-label="TypeScript: ${example.title}"
      ><code data-copy="typescript">${forReader(example.ts, baseUrl)}</code></pre>
    </figure>
  </section>`;
}

function frame(ctx: DeveloperPageContext, title: string, main: SafeHtml, trail: { label: string; href?: string }[]): string {
  return layout({
    title,
    main,
    viewer: ctx.viewer,
    breadcrumb: trail,
    section: 'entwickler',
    styles: ['/static/developers.css'],
    scripts: ['/static/copy.js'],
  });
}

function topicNav(current?: DeveloperTopic): SafeHtml {
  return html`<nav class="dev-nav" aria-label="Themen für Entwickler">
    <ul>
      ${topics.map(
        (t) => html`<li><a href="/entwickler/${t.slug}" ${current === t.slug ? html`aria-current="page"` : ''}>${t.title}</a></li>`,
      )}
      <li><a href="/graphql">GraphQL-Explorer</a></li>
      <li><a href="/entwickler/schluessel">Schlüssel beantragen</a></li>
    </ul>
  </nav>`;
}

/** The overview at /entwickler. */
export function overviewPage(ctx: DeveloperPageContext): string {
  const main = html`<h1>Für Entwickler</h1>
    <p class="lead">
      Bauen Sie auf den offenen Daten der Hanse- und Universitätsstadt Rostock auf: GraphQL, die CKAN-API und DCAT-AP.de. Jedes Beispiel
      dieser Seiten gibt es für curl und TypeScript, und jedes wird in jedem Testlauf gegen den Server ausgeführt – so bleibt die
      Dokumentation richtig.
    </p>
    <ul class="topic-list">
      ${topics.map((t) => html`<li><a href="/entwickler/${t.slug}">${t.title}</a> – ${t.summary}</li>`)}
      <li><a href="/graphql">GraphQL-Explorer</a> – Abfragen im Browser schreiben und ausführen, mit Dokumentation des Schemas.</li>
      <li><a href="/entwickler/schluessel">Schlüssel beantragen</a> – für ein höheres Rate-Limit.</li>
    </ul>
    <h2>Die Adressen</h2>
    <dl class="meta meta-wide">
      <dt>GraphQL</dt>
      <dd><code>${ctx.baseUrl}/graphql</code> (POST, oder GET für Abfragen)</dd>
      <dt>CKAN Action API</dt>
      <dd><code>${ctx.baseUrl}/api/3/action/</code></dd>
      <dt>DCAT-AP.de</dt>
      <dd><code>${ctx.baseUrl}/catalog.ttl</code></dd>
      <dt>Schema (SDL)</dt>
      <dd><code>schema/schema.graphql</code> im Repository, oder per Introspection</dd>
    </dl>`;
  return frame(ctx, 'Für Entwickler', main, [{ label: 'Für Entwickler' }]);
}

/** One topic page with its examples; undefined for an unknown slug. */
export function topicPage(ctx: DeveloperPageContext, slug: string): string | undefined {
  const topic = topics.find((t) => t.slug === slug);
  if (!topic) return undefined;
  const list = examplesOf(topic.slug);
  const main = html`<h1>${topic.title}</h1>
    ${topicNav(topic.slug)} ${topic.body(ctx)}
    ${
      list.length > 0 &&
      html`<h2>Beispiele</h2>
        <p class="hint">
          Jedes Beispiel läuft, wie es hier steht (curl; TypeScript mit Node ≥ 22.18 als <code>.mts</code>-Datei oder im Browser) und wird
          in jedem Testlauf gegen den Server ausgeführt.
        </p>
        ${list.map((e) => exampleBlock(e, ctx.baseUrl))}`
    }`;
  return frame(ctx, topic.title, main, [{ label: 'Für Entwickler', href: '/entwickler' }, { label: topic.title }]);
}
