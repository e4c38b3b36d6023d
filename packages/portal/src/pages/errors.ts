import { anonymous, type Viewer } from '@hro/api/domain';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

const texts: Record<number, { title: string; text: string }> = {
  400: { title: 'Ungültige Anfrage', text: 'Die Angaben in der Adresse sind nicht gültig.' },
  401: { title: 'Anmeldung nötig', text: 'Der mitgesendete API-Schlüssel oder das Token ist ungültig.' },
  403: {
    title: 'Kein Zugriff',
    text: 'Sie sind angemeldet, aber Ihre Rolle erlaubt diese Seite nicht. Das Steuerungsboard ist dem Steuerungsteam vorbehalten, der ETL-Status dem Betrieb.',
  },
  404: { title: 'Seite nicht gefunden', text: 'Unter dieser Adresse gibt es keine Seite – oder keinen Datensatz, den Sie sehen dürfen.' },
  429: { title: 'Zu viele Anfragen', text: 'Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.' },
  500: { title: 'Interner Fehler', text: 'Die Seite konnte nicht erstellt werden. Der Fehler ist protokolliert.' },
  503: { title: 'Vorübergehend nicht verfügbar', text: 'Bitte versuchen Sie es gleich noch einmal.' },
};

/** An error page with the frame of every page (search, navigation), so the visitor can go on. */
export function errorPage(status: number, viewer: Viewer = anonymous, detail?: SafeHtml | string): string {
  const t = texts[status] ?? texts[500] ?? { title: 'Fehler', text: '' };
  const main = html`<h1>${t.title}</h1>
    <p>${t.text}</p>
    ${detail && html`<p>${detail}</p>`}
    <ul>
      <li><a href="/">Zur Startseite</a></li>
      <li><a href="/dataset">Alle Datensätze</a></li>
    </ul>`;
  return layout({ title: t.title, main, viewer });
}
