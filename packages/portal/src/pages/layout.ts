import { can, type Viewer } from '@hro/api/domain';
import { html, type SafeHtml } from './html.js';

export interface Crumb {
  label: string;
  href?: string;
}

export interface PageOptions {
  title: string;
  main: SafeHtml;
  viewer: Viewer;
  /** the trail above the heading; the start page has none */
  breadcrumb?: Crumb[];
  /** extra stylesheets and scripts (our own files: the CSP allows no inline code) */
  styles?: string[];
  scripts?: string[];
  /** the text of the header's search field */
  query?: string;
  /** which main navigation entry is the current page */
  section?: 'datensaetze' | 'kennzahlen' | 'programm' | 'steuerung' | 'etl' | 'entwickler' | 'schluessel';
  /** other representations of the page (`<link rel="alternate">`), e.g. an Atom feed */
  alternates?: { href: string; type: string; title: string }[];
}

const roleLabel: Record<Viewer['role'], string> = {
  anonymous: 'nicht angemeldet',
  developer: 'Entwicklung',
  steering: 'Steuerung',
  admin: 'Administration',
};

function navigation(viewer: Viewer, section: PageOptions['section']): SafeHtml {
  const entry = (key: NonNullable<PageOptions['section']>, path: string, label: string) =>
    html`<li><a href="${path}" ${section === key ? html`aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="site-nav" aria-label="Hauptnavigation">
    <ul>
      ${entry('datensaetze', '/dataset', 'Datensätze')} ${entry('kennzahlen', '/kennzahlen', 'Digitale Verwaltung in Zahlen')}
      ${entry('programm', '/programm', 'Geplantes und Erreichtes')} ${entry('steuerung', '/steuerung', 'Steuerung')}
      ${can(viewer, 'etl.read') && entry('etl', '/etl', 'ETL-Status')} ${entry('entwickler', '/entwickler', 'Für Entwickler')}
      ${can(viewer, 'apikey.manage') && entry('schluessel', '/verwaltung/schluessel', 'API-Schlüssel')}
    </ul>
  </nav>`;
}

function account(viewer: Viewer): SafeHtml {
  if (viewer.role === 'anonymous') return html`<p class="account"><a href="/anmelden">Anmelden</a></p>`;
  return html`<form class="account" method="post" action="/abmelden">
    <span>Angemeldet: ${roleLabel[viewer.role]}</span>
    ${viewer.subject?.startsWith('key:') && html`<a href="/entwickler/schluessel/mein">Mein Schlüssel</a>`}
    <button type="submit" class="link-button">Abmelden</button>
  </form>`;
}

function breadcrumbs(trail: Crumb[]): SafeHtml {
  const all: Crumb[] = [{ label: 'Start', href: '/' }, ...trail];
  return html`<nav class="breadcrumb" aria-label="Brotkrümelnavigation">
    <ol>
      ${all.map((c, i) =>
        i === all.length - 1 || !c.href
          ? html`<li><span aria-current="page">${c.label}</span></li>`
          : html`<li><a href="${c.href}">${c.label}</a></li>`,
      )}
    </ol>
  </nav>`;
}

/**
 * The page frame: German, a skip link, landmarks (banner with search and navigation, main,
 * contentinfo), a breadcrumb, and only our own stylesheets and scripts — the Content-Security-Policy
 * allows no inline code, so no page carries any.
 */
export function layout(options: PageOptions): string {
  const { title, main, viewer } = options;
  return `<!doctype html>\n${
    html`<html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – HRO Datenplattform</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/portal.css" />
        ${(options.styles ?? []).map((s) => html`<link rel="stylesheet" href="${s}" />`)}
        ${(options.alternates ?? []).map((a) => html`<link rel="alternate" type="${a.type}" href="${a.href}" title="${a.title}" />`)}
        ${(options.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
      </head>
      <body>
        <a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
        <header class="site-header">
          <div class="site-bar">
            <p class="site-name"><a href="/">HRO Datenplattform</a></p>
            <form class="site-search" role="search" method="get" action="/dataset" aria-label="Suche im Datenkatalog">
              <label for="kopf-suche">Datensätze durchsuchen</label>
              <input id="kopf-suche" type="search" name="q" value="${options.query ?? ''}" autocomplete="off" />
              <button type="submit">Suchen</button>
            </form>
            ${account(viewer)}
          </div>
          ${navigation(viewer, options.section)}
        </header>
        <main id="inhalt" tabindex="-1">${options.breadcrumb && breadcrumbs(options.breadcrumb)} ${main}</main>
        <footer class="site-footer">
          <p>
            Offene Daten der Hanse- und Universitätsstadt Rostock · Digitale Verwaltung Rostock 2030 ·
            <a href="/entwickler">Für Entwickler</a> · <a href="/graphql">GraphQL-Explorer</a> ·
            <a href="/api/3/action/package_list">CKAN-API</a> ·
            <a href="/catalog.ttl">DCAT-Katalog</a>
          </p>
        </footer>
      </body>
    </html>`.value
  }\n`;
}
