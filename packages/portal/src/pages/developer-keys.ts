import type { ApiKeyRequestRow, ApiKeyRequestStatus, ApiKeyRow, ApiKeyUsageDay, Viewer } from '@hro/api/domain';
import { formatDateTime, formatDay, formatInteger } from './format.js';
import { href, html, type SafeHtml } from './html.js';
import { layout, type Crumb } from './layout.js';

/**
 * The self-service developer keys' pages (issue 10), German: the request form, the request's
 * status page (reached only with its status token), the key shown once, the key holder's
 * "Mein Schlüssel", and the admins' key administration. Plain forms, no script: every action
 * works without JavaScript, and every form carries its CSRF token (../http/csrf.ts).
 */

const STYLES = ['/static/developer-keys.css'];
const DEV_CRUMB: Crumb = { label: 'API-Schlüssel', href: '/entwickler/schluessel' };
export const OWN_KEY_PATH = '/entwickler/schluessel/mein';
export const ADMIN_KEYS_PATH = '/verwaltung/schluessel';

const roleLabel: Record<string, string> = { developer: 'Entwicklung', steering: 'Steuerung', admin: 'Administration' };
const keyStatusLabel: Record<string, string> = {
  approved: 'freigegeben, noch nicht abgeholt',
  active: 'aktiv',
  revoked: 'gesperrt',
  requested: 'beantragt',
};
const requestStatusLabel: Record<string, string> = { pending: 'wartet auf Freigabe', approved: 'freigegeben', rejected: 'abgelehnt' };
const when = (d: Date | null) => (d ? formatDateTime(d) : '–');

export interface FormValues {
  name?: string;
  email?: string;
  purpose?: string;
  acceptTerms?: boolean;
}

const fields: { key: keyof FormValues; id: string; label: string }[] = [
  { key: 'name', id: 'antrag-name', label: 'Name oder Organisation' },
  { key: 'email', id: 'antrag-email', label: 'E-Mail-Adresse' },
  { key: 'purpose', id: 'antrag-zweck', label: 'Wofür möchten Sie den Schlüssel nutzen?' },
  { key: 'acceptTerms', id: 'antrag-bedingungen', label: 'Nutzungsbedingungen' },
];

function errorSummary(title: string, errors: { id: string; message: string }[]): SafeHtml {
  return html`<div class="error-summary" role="alert" aria-labelledby="fehler-titel" tabindex="-1">
    <h2 id="fehler-titel">${title}</h2>
    <ul>
      ${errors.map((e) => html`<li><a href="#${e.id}">${e.message}</a></li>`)}
    </ul>
  </div>`;
}

/** The request form; `errors` are the server's messages per field (ValidationError.fieldErrors). */
export function requestFormPage(
  viewer: Viewer,
  options: { csrf: string; values?: FormValues; errors?: Record<string, string[]>; signedInWithKey: boolean },
): string {
  const errors = options.errors ?? {};
  const values = options.values ?? {};
  const listed = fields.flatMap((f) => (errors[f.key] ?? []).map((message) => ({ id: f.id, message })));
  const message = (f: (typeof fields)[number]) =>
    errors[f.key]?.length ? html`<p class="field-error" id="${f.id}-fehler">${errors[f.key]?.join(' ')}</p>` : '';
  const invalid = (key: keyof FormValues) => (errors[key]?.length ? html`aria-invalid="true"` : '');
  const described = (id: string, key: keyof FormValues, hint?: string) =>
    [hint, errors[key]?.length ? `${id}-fehler` : undefined].filter(Boolean).join(' ');
  const [name, email, purpose, terms] = fields as [(typeof fields)[0], (typeof fields)[1], (typeof fields)[2], (typeof fields)[3]];
  const main = html`<h1>API-Schlüssel beantragen</h1>
    <p class="lead">
      Mit einem eigenen Schlüssel nutzen Sie die GraphQL-API und die CKAN-API mit höherem Kontingent (3000 statt 600 Anfragen pro Minute)
      und sehen, wie oft Ihre Anwendung sie aufruft.
    </p>
    <ol class="steps">
      <li>Sie stellen hier den Antrag und erhalten eine <strong>Antragsnummer mit Statuslink</strong>.</li>
      <li>Der Betrieb der Datenplattform prüft den Antrag und gibt ihn frei (es wird keine E-Mail versandt).</li>
      <li>Über den Statuslink holen Sie den Schlüssel ab – <strong>genau einmal</strong>. Gespeichert wird nur ein Hash.</li>
    </ol>
    ${
      options.signedInWithKey &&
      html`<p class="notice">
        Sie sind mit einem API-Schlüssel angemeldet: <a href="${OWN_KEY_PATH}">Mein Schlüssel</a> zeigt seine Nutzung.
      </p>`
    }
    ${listed.length > 0 && errorSummary('Bitte prüfen Sie Ihre Angaben', listed)}
    <form class="key-form" method="post" action="/entwickler/schluessel" novalidate>
      <input type="hidden" name="csrf" value="${options.csrf}" />
      <div class="field">
        <label for="${name.id}">${name.label}</label>
        ${message(name)}
        <input
          id="${name.id}"
          name="name"
          type="text"
          autocomplete="organization"
          maxlength="200"
          required
          value="${values.name ?? ''}"
          ${invalid('name')}
          ${described(name.id, 'name') && html`aria-describedby="${described(name.id, 'name')}"`}
        />
      </div>
      <div class="field">
        <label for="${email.id}">${email.label}</label>
        <p class="hint" id="${email.id}-hilfe">Für Rückfragen des Betriebs. Wir versenden keine E-Mails.</p>
        ${message(email)}
        <input
          id="${email.id}"
          name="email"
          type="email"
          autocomplete="email"
          maxlength="254"
          required
          value="${values.email ?? ''}"
          ${invalid('email')}
          aria-describedby="${described(email.id, 'email', `${email.id}-hilfe`)}"
        />
      </div>
      <div class="field">
        <label for="${purpose.id}">${purpose.label}</label>
        <p class="hint" id="${purpose.id}-hilfe">Zum Beispiel: „Eine App, die freie Parkscheinautomaten in der Nähe zeigt.“</p>
        ${message(purpose)}
        <textarea
          id="${purpose.id}"
          name="purpose"
          rows="5"
          maxlength="2000"
          required
          ${invalid('purpose')}
          aria-describedby="${described(purpose.id, 'purpose', `${purpose.id}-hilfe`)}"
        >
${values.purpose ?? ''}</textarea>
      </div>
      <fieldset class="terms">
        <legend>${terms.label}</legend>
        <ul>
          <li>Die Daten stehen unter den Lizenzen ihrer Datensätze (meist Datenlizenz Deutschland – Namensnennung 2.0).</li>
          <li>Der Schlüssel ist persönlich: Geben Sie ihn nicht weiter und bauen Sie ihn nicht in öffentlich lesbaren Code ein.</li>
          <li>Die Nutzung wird pro Tag gezählt. Bei Missbrauch kann der Schlüssel ohne Ankündigung gesperrt werden.</li>
        </ul>
        ${message(terms)}
        <div class="check">
          <input
            id="${terms.id}"
            name="acceptTerms"
            type="checkbox"
            value="ja"
            required
            ${values.acceptTerms ? html`checked` : ''}
            ${invalid('acceptTerms')}
            ${errors.acceptTerms?.length ? html`aria-describedby="${terms.id}-fehler"` : ''}
          />
          <label for="${terms.id}">Ich akzeptiere die Nutzungsbedingungen.</label>
        </div>
      </fieldset>
      <button type="submit">Schlüssel beantragen</button>
    </form>`;
  return layout({
    title: listed.length > 0 ? 'Fehler: API-Schlüssel beantragen' : 'API-Schlüssel beantragen',
    main,
    viewer,
    styles: STYLES,
    section: 'entwickler',
    breadcrumb: [{ label: 'Für Entwickler', href: '/entwickler' }, { label: 'API-Schlüssel' }],
  });
}

/** The address of a request's status page (with its token: the only way to it). */
export const statusPath = (id: string, token: string) => href(`/entwickler/schluessel/${id}`, { token });

/** The status page of a request, for the holder of its token. */
export function requestStatusPage(
  viewer: Viewer,
  status: ApiKeyRequestStatus,
  options: { token: string; csrf: string; statusUrl: string; notice?: string },
): string {
  let state: SafeHtml;
  if (status.status === 'pending') {
    state = html`<p class="status status-pending"><strong>Status: wartet auf Freigabe.</strong></p>
      <p>Der Betrieb prüft Ihren Antrag. Schauen Sie später wieder unter dieser Adresse vorbei.</p>`;
  } else if (status.status === 'rejected') {
    state = html`<p class="status status-rejected"><strong>Status: abgelehnt</strong> (${when(status.decidedAt)}).</p>
      <p>Begründung: ${status.reason ?? '–'}</p>`;
  } else if (status.collectedAt) {
    state = html`<p class="status"><strong>Status: abgeholt</strong> am ${when(status.collectedAt)}.</p>
      <p>
        Der Schlüssel wurde angezeigt und wird aus Sicherheitsgründen nicht noch einmal angezeigt. Melden Sie sich mit ihm an, um unter
        <a href="${href('/anmelden', { next: OWN_KEY_PATH })}">Mein Schlüssel</a> seine Nutzung zu sehen, ihn zu rotieren oder zu sperren.
        Haben Sie ihn verloren, stellen Sie bitte einen neuen Antrag.
      </p>`;
  } else if (status.keyStatus !== 'approved') {
    state = html`<p class="status status-rejected"><strong>Status: gesperrt.</strong></p>
      <p>Der Schlüssel wurde gesperrt, bevor er abgeholt wurde.</p>`;
  } else {
    state = html`<p class="status status-approved"><strong>Status: freigegeben</strong> (${when(status.decidedAt)}).</p>
      <p>
        Ihr Schlüssel liegt bereit. Er wird <strong>genau einmal</strong> angezeigt: Halten Sie einen sicheren Ort zum Speichern bereit.
      </p>
      <form method="post" action="/entwickler/schluessel/${status.id}/abholen">
        <input type="hidden" name="csrf" value="${options.csrf}" />
        <input type="hidden" name="token" value="${options.token}" />
        <button type="submit">Schlüssel jetzt anzeigen</button>
      </form>`;
  }
  const main = html`<h1>Ihr Antrag auf einen API-Schlüssel</h1>
    ${options.notice && html`<p class="notice" role="status">${options.notice}</p>`}
    <dl class="meta">
      <dt>Antragsnummer</dt>
      <dd><code>${status.id}</code></dd>
      <dt>Eingegangen</dt>
      <dd>${when(status.createdAt)}</dd>
    </dl>
    ${state}
    <h2>Ihr Statuslink</h2>
    <p>
      Nur mit dieser Adresse sehen Sie die Entscheidung und holen den Schlüssel ab. Wir speichern sie nicht und können sie nicht
      wiederherstellen – setzen Sie ein Lesezeichen:
    </p>
    <p class="status-link"><code>${options.statusUrl}</code></p>`;
  return layout({
    title: 'Ihr Antrag',
    main,
    viewer,
    styles: STYLES,
    section: 'entwickler',
    breadcrumb: [DEV_CRUMB, { label: 'Ihr Antrag' }],
  });
}

/** A key shown once: after collection, after a rotation (own or by an admin). */
export function newKeyPage(
  viewer: Viewer,
  options: { key: string; heading: string; intro: string; apiKey?: ApiKeyRow; baseUrl: string; admin?: boolean },
): string {
  const curl = `curl -s ${options.baseUrl}/graphql \\\n  -H 'authorization: Bearer ${options.key}' \\\n  -H 'content-type: application/json' \\\n  -d '{"query":"{ datasets(first: 3) { nodes { name title } } }"}'`;
  const main = html`<h1>${options.heading}</h1>
    <p>${options.intro}</p>
    <div class="new-key" role="region" aria-labelledby="neuer-schluessel-titel">
      <h2 id="neuer-schluessel-titel">Der Schlüssel</h2>
      <p><code id="neuer-schluessel">${options.key}</code></p>
      <p class="warning">
        <strong>Speichern Sie ihn jetzt</strong> (zum Beispiel in einem Passwortmanager). Er wird nicht noch einmal angezeigt; die Plattform
        speichert nur einen Hash.
      </p>
    </div>
    ${
      options.apiKey &&
      html`<dl class="meta">
        <dt>Schlüssel-Nr.</dt>
        <dd>${options.apiKey.id}</dd>
        <dt>Name</dt>
        <dd>${options.apiKey.name}</dd>
        <dt>Rolle</dt>
        <dd>${roleLabel[options.apiKey.role] ?? options.apiKey.role}</dd>
      </dl>`
    }
    <h2>So nutzen Sie ihn</h2>
    <p>Senden Sie ihn im Header <code>Authorization</code> (mit oder ohne <code>Bearer</code>):</p>
    <pre><code>${curl}</code></pre>
    ${
      options.admin
        ? html`<p><a href="${ADMIN_KEYS_PATH}">Zurück zur Schlüsselverwaltung</a></p>`
        : html`<p>
            Unter <a href="${href('/anmelden', { next: OWN_KEY_PATH })}">Mein Schlüssel</a> (Anmeldung mit dem Schlüssel) sehen Sie seine
            Nutzung und können ihn rotieren oder sperren.
          </p>`
    }`;
  return layout({
    title: options.heading,
    main,
    viewer,
    styles: STYLES,
    section: options.admin ? 'schluessel' : 'entwickler',
    breadcrumb: options.admin
      ? [{ label: 'API-Schlüssel verwalten', href: ADMIN_KEYS_PATH }, { label: 'Neuer Schlüssel' }]
      : [DEV_CRUMB, { label: 'Ihr Schlüssel' }],
  });
}

function usageTable(usage: ApiKeyUsageDay[], caption: string): SafeHtml {
  if (usage.length === 0) return html`<p>In den letzten 30 Tagen gab es keine Anfragen mit diesem Schlüssel.</p>`;
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Tag</th>
          <th scope="col" class="num">Anfragen</th>
        </tr>
      </thead>
      <tbody>
        ${usage.map(
          (u) =>
            html`<tr>
              <th scope="row">${formatDay(u.day)}</th>
              <td class="num">${formatInteger(u.requests)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** "Mein Schlüssel": the key the viewer is signed in with, its use, rotate and revoke. */
export function ownKeyPage(viewer: Viewer, options: { apiKey?: ApiKeyRow; usage?: ApiKeyUsageDay[]; csrf: string }): string {
  const k = options.apiKey;
  const main = k
    ? html`<h1>Mein Schlüssel</h1>
        <dl class="meta">
          <dt>Name</dt>
          <dd>${k.name}</dd>
          <dt>Schlüssel</dt>
          <dd><code>hro_${k.prefix}_…</code></dd>
          <dt>Rolle</dt>
          <dd>${roleLabel[k.role] ?? k.role}</dd>
          <dt>Status</dt>
          <dd>${keyStatusLabel[k.status] ?? k.status}</dd>
          <dt>Erstellt</dt>
          <dd>${when(k.createdAt)}</dd>
          <dt>Zuletzt rotiert</dt>
          <dd>${when(k.rotatedAt)}</dd>
          <dt>Zuletzt genutzt</dt>
          <dd>${when(k.lastUsedAt)}</dd>
          <dt>Anfragen heute</dt>
          <dd id="anfragen-heute">${formatInteger(k.requestsToday)}</dd>
          <dt>Anfragen insgesamt</dt>
          <dd id="anfragen-gesamt">${formatInteger(k.usageCount)}</dd>
        </dl>
        <p class="hint">
          Gezählt werden Anfragen an die APIs mit dem Schlüssel im Header <code>Authorization</code>, nicht die Seiten, die Sie angemeldet
          aufrufen.
        </p>
        <h2>Nutzung pro Tag</h2>
        ${usageTable(options.usage ?? [], 'Anfragen mit diesem Schlüssel in den letzten 30 Tagen')}
        <h2>Rotieren</h2>
        <p>
          Ein neuer geheimer Teil für denselben Schlüssel (Nummer, Name, Rolle und Nutzung bleiben). Der bisherige Schlüssel wird sofort
          abgelehnt – tauschen Sie ihn in Ihrer Anwendung aus.
        </p>
        <form method="post" action="${OWN_KEY_PATH}/rotieren">
          <input type="hidden" name="csrf" value="${options.csrf}" />
          <button type="submit">Schlüssel rotieren</button>
        </form>
        <h2>Sperren</h2>
        <p>Der Schlüssel wird endgültig gesperrt, und Sie werden abgemeldet.</p>
        <form method="post" action="${OWN_KEY_PATH}/sperren">
          <input type="hidden" name="csrf" value="${options.csrf}" />
          <button type="submit" class="danger">Schlüssel sperren</button>
        </form>`
    : html`<h1>Mein Schlüssel</h1>
        <p>
          Sie sind nicht mit einem API-Schlüssel angemeldet (sondern über den Anmeldedienst der Stadt). Schlüssel verwaltet der Betrieb
          unter <a href="${ADMIN_KEYS_PATH}">API-Schlüssel verwalten</a>.
        </p>`;
  return layout({
    title: 'Mein Schlüssel',
    main,
    viewer,
    styles: STYLES,
    section: 'entwickler',
    breadcrumb: [DEV_CRUMB, { label: 'Mein Schlüssel' }],
  });
}

/** The page after revoking one's own key (signed out). */
export function ownKeyRevokedPage(viewer: Viewer): string {
  const main = html`<h1>Schlüssel gesperrt</h1>
    <p role="status">Ihr Schlüssel ist gesperrt und wird nicht mehr angenommen. Sie wurden abgemeldet.</p>
    <p><a href="/entwickler/schluessel">Einen neuen Schlüssel beantragen</a></p>`;
  return layout({
    title: 'Schlüssel gesperrt',
    main,
    viewer,
    styles: STYLES,
    section: 'entwickler',
    breadcrumb: [DEV_CRUMB, { label: 'Gesperrt' }],
  });
}

/** Messages after an admin action (by a fixed code in the address, never text from it). */
export const adminNotices: Record<string, string> = {
  freigegeben: 'Der Antrag ist freigegeben. Der Antragsteller holt den Schlüssel über seinen Statuslink ab.',
  abgelehnt: 'Der Antrag ist abgelehnt. Der Antragsteller sieht die Begründung auf seiner Statusseite.',
  gesperrt: 'Der Schlüssel ist gesperrt.',
  veraltet: 'Nichts geändert: Der Antrag war schon entschieden oder der Schlüssel nicht mehr aktiv. Die Liste ist jetzt aktuell.',
};

/** The admins' page: open requests (approve, reject), all keys with their use (rotate, revoke), decided requests. */
export function adminKeysPage(
  viewer: Viewer,
  options: {
    keys: ApiKeyRow[];
    requests: ApiKeyRequestRow[];
    csrf: string;
    notice?: string;
    error?: { requestId: string; message: string };
  },
): string {
  const pending = options.requests.filter((r) => r.status === 'pending');
  const decided = options.requests.filter((r) => r.status !== 'pending').slice(0, 50);
  const hidden = html`<input type="hidden" name="csrf" value="${options.csrf}" />`;
  const requestRow = (r: ApiKeyRequestRow) => {
    const error = options.error?.requestId === r.id ? options.error.message : undefined;
    const reasonId = `grund-${r.id}`;
    return html`<tr id="antrag-${r.id}">
      <td>${when(r.createdAt)}</td>
      <th scope="row">${r.name}</th>
      <td>${r.email}</td>
      <td class="purpose">${r.purpose}</td>
      <td class="actions">
        <form method="post" action="${ADMIN_KEYS_PATH}/antraege/${r.id}/freigeben">
          ${hidden}
          <button type="submit">Freigeben<span class="visually-hidden"> – Antrag von ${r.name}</span></button>
        </form>
        <form method="post" action="${ADMIN_KEYS_PATH}/antraege/${r.id}/ablehnen" class="reject">
          ${hidden}
          <label for="${reasonId}">Grund<span class="visually-hidden"> der Ablehnung (Antrag von ${r.name})</span></label>
          ${error && html`<p class="field-error" id="${reasonId}-fehler">${error}</p>`}
          <input
            id="${reasonId}"
            name="reason"
            type="text"
            maxlength="1000"
            required
            ${error ? html`aria-invalid="true" aria-describedby="${reasonId}-fehler"` : ''}
          />
          <button type="submit" class="secondary">Ablehnen<span class="visually-hidden"> – Antrag von ${r.name}</span></button>
        </form>
      </td>
    </tr>`;
  };
  const keyRow = (k: ApiKeyRow) =>
    html`<tr id="schluessel-${k.id}">
      <td class="num">${k.id}</td>
      <th scope="row">${k.name}${k.contact && html`<br /><span class="hint">${k.contact}</span>`}</th>
      <td><code>hro_${k.prefix}_…</code></td>
      <td>${roleLabel[k.role] ?? k.role}</td>
      <td class="key-status">${keyStatusLabel[k.status] ?? k.status}</td>
      <td>${when(k.createdAt)}</td>
      <td>${when(k.lastUsedAt)}</td>
      <td class="num">${formatInteger(k.requestsToday)}</td>
      <td class="num usage-total">${formatInteger(k.usageCount)}</td>
      <td class="actions">
        ${
          k.status === 'active' &&
          html`<form method="post" action="${ADMIN_KEYS_PATH}/${k.id}/rotieren">
            ${hidden}
            <button type="submit" class="secondary">Rotieren<span class="visually-hidden"> – Schlüssel ${k.id} (${k.name})</span></button>
          </form>`
        }
        ${
          k.status !== 'revoked' &&
          html`<form method="post" action="${ADMIN_KEYS_PATH}/${k.id}/sperren">
            ${hidden}
            <button type="submit" class="danger">Sperren<span class="visually-hidden"> – Schlüssel ${k.id} (${k.name})</span></button>
          </form>`
        }
      </td>
    </tr>`;
  const main = html`<h1>API-Schlüssel verwalten</h1>
    ${options.notice && html`<p class="notice" role="status">${options.notice}</p>`}
    ${options.error && errorSummary('Die Aktion ist fehlgeschlagen', [{ id: `grund-${options.error.requestId}`, message: options.error.message }])}
    <h2 id="offene-antraege">Offene Anträge (${pending.length})</h2>
    ${
      pending.length === 0
        ? html`<p>Keine offenen Anträge.</p>`
        : html`<div class="table-wrap">
            <table class="requests">
              <caption class="visually-hidden">
                Offene Anträge auf Entwicklerschlüssel
              </caption>
              <thead>
                <tr>
                  <th scope="col">Eingegangen</th>
                  <th scope="col">Name oder Organisation</th>
                  <th scope="col">E-Mail</th>
                  <th scope="col">Zweck</th>
                  <th scope="col">Entscheidung</th>
                </tr>
              </thead>
              <tbody>
                ${pending.map(requestRow)}
              </tbody>
            </table>
          </div>`
    }
    <h2 id="alle-schluessel">Alle Schlüssel (${options.keys.length})</h2>
    <p class="hint">
      Anfragen werden pro Schlüssel und Tag gezählt (in jedem Serverprozess gesammelt und alle 15 Sekunden geschrieben). Rotieren gibt einem
      Schlüssel einen neuen geheimen Teil; der alte wird sofort abgelehnt, von anderen Serverprozessen spätestens nach 30 Sekunden.
    </p>
    <div class="table-wrap">
      <table class="keys">
        <caption class="visually-hidden">
          Alle API-Schlüssel mit Status, Rolle und Nutzung
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">Nr.</th>
            <th scope="col">Name</th>
            <th scope="col">Schlüssel</th>
            <th scope="col">Rolle</th>
            <th scope="col">Status</th>
            <th scope="col">Erstellt</th>
            <th scope="col">Zuletzt genutzt</th>
            <th scope="col" class="num">Anfragen heute</th>
            <th scope="col" class="num">Anfragen gesamt</th>
            <th scope="col">Aktionen</th>
          </tr>
        </thead>
        <tbody>
          ${options.keys.map(keyRow)}
        </tbody>
      </table>
    </div>
    <h2 id="entschiedene-antraege">Entschiedene Anträge</h2>
    ${
      decided.length === 0
        ? html`<p>Noch keine.</p>`
        : html`<ul class="decided">
            ${decided.map(
              (r) =>
                html`<li>
                  ${when(r.decidedAt)}: <strong>${r.name}</strong> (${r.email}) –
                  ${requestStatusLabel[r.status] ?? r.status}${
                    r.apiKeyId !== null ? html`, Schlüssel ${r.apiKeyId}${r.collectedAt ? ', abgeholt' : ', noch nicht abgeholt'}` : ''
                  }${r.reason && html` – Grund: ${r.reason}`}
                </li>`,
            )}
          </ul>`
    }`;
  return layout({
    title: options.error ? 'Fehler: API-Schlüssel verwalten' : 'API-Schlüssel verwalten',
    main,
    viewer,
    styles: STYLES,
    section: 'schluessel',
    breadcrumb: [{ label: 'API-Schlüssel verwalten' }],
  });
}

/** A form that cannot be trusted (other origin, missing or stale token). */
export function staleFormPage(viewer: Viewer, back: string): string {
  const main = html`<h1>Formular abgelaufen</h1>
    <p>
      Das Formular konnte nicht zugeordnet werden – es ist abgelaufen oder kam nicht von dieser Seite. Es wurde nichts geändert. Bitte laden
      Sie die Seite neu und senden Sie es noch einmal.
    </p>
    <p><a href="${back}">Zurück zum Formular</a></p>`;
  return layout({ title: 'Formular abgelaufen', main, viewer, styles: STYLES });
}
