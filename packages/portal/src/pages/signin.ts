import type { Viewer } from '@hro/api/domain';
import { html } from './html.js';
import { layout } from './layout.js';

/** Only local paths are followed after signing in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && next.length <= 500 ? next : '/steuerung';
}

/**
 * The sign-in form: the user pastes an API key (or an access token of the configured OIDC
 * issuer). The key is checked once and then never stored: the session cookie is an HMAC
 * reference to the key (see packages/api/src/access/session.ts).
 */
export function signInPage(viewer: Viewer, options: { next: string; error?: string; oidc: boolean }): string {
  const how = options.oidc
    ? 'mit Ihrem API-Schlüssel oder einem Zugriffstoken des städtischen Anmeldedienstes (OIDC)'
    : 'mit Ihrem API-Schlüssel';
  const main = html`<h1>Anmelden</h1>
    <p>Das Steuerungsboard und der ETL-Status sind für das Steuerungsteam und den Betrieb. Melden Sie sich ${how} an.</p>
    <p>
      Mit einem Entwicklerschlüssel sehen Sie nach der Anmeldung unter <a href="/entwickler/schluessel/mein">Mein Schlüssel</a> seine
      Nutzung und können ihn rotieren oder sperren. Noch keinen? <a href="/entwickler/schluessel">Schlüssel beantragen</a>.
    </p>
    ${
      options.error &&
      html`<div class="error-summary" role="alert" aria-labelledby="fehler-titel" tabindex="-1">
        <h2 id="fehler-titel">Anmeldung fehlgeschlagen</h2>
        <p><a href="#schluessel">${options.error}</a></p>
      </div>`
    }
    <form class="signin" method="post" action="/anmelden">
      <input type="hidden" name="next" value="${options.next}" />
      <label for="schluessel">API-Schlüssel${options.oidc ? ' oder Zugriffstoken' : ''}</label>
      <p id="schluessel-hilfe" class="hint">
        Beginnt mit <code>hro_</code>. Der Schlüssel wird nicht gespeichert; die Sitzung endet nach 8 Stunden.
      </p>
      <input
        id="schluessel"
        name="key"
        type="password"
        autocomplete="off"
        spellcheck="false"
        required
        aria-describedby="schluessel-hilfe"
        ${options.error ? html`aria-invalid="true"` : ''}
      />
      <button type="submit">Anmelden</button>
    </form>`;
  return layout({ title: options.error ? 'Fehler: Anmelden' : 'Anmelden', main, viewer, breadcrumb: [{ label: 'Anmelden' }] });
}
