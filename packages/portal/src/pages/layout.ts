import { html, type SafeHtml } from './html.js';

/** The page frame: German, a skip link, landmarks, our own stylesheet (no CDN, no inline styles). */
export function layout(title: string, main: SafeHtml): string {
  return `<!doctype html>\n${
    html`<html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – HRO Datenplattform</title>
        <link rel="stylesheet" href="/static/portal.css" />
      </head>
      <body>
        <a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
        <header class="site-header">
          <p class="site-name"><a href="/">HRO Datenplattform</a></p>
          <p class="site-claim">Offene Daten der Hanse- und Universitätsstadt Rostock</p>
        </header>
        <main id="inhalt" tabindex="-1">${main}</main>
        <footer class="site-footer">
          <p>Digitale Verwaltung Rostock 2030 · <a href="/graphql">GraphQL-API</a> · <a href="/api/3/action/package_list">CKAN-API</a></p>
        </footer>
      </body>
    </html>`.value
  }\n`;
}
