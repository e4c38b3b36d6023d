import { formatDay } from './format.js';
import { html, type SafeHtml } from './html.js';

/**
 * "Each number explains itself" (issue 9): the definition of a figure, where it comes from and the
 * Stichtag it describes (the state at the end of that day, Europe/Berlin), right under it.
 */
export interface Explanation {
  definition: string | SafeHtml;
  source: string | SafeHtml;
  /** YYYY-MM-DD */
  stichtag: string;
  /** e.g. "vorläufig: laufender Monat" */
  note?: string;
}

export function explain(e: Explanation): SafeHtml {
  return html`<dl class="meta explain">
    <dt>Definition</dt>
    <dd>${e.definition}</dd>
    <dt>Quelle</dt>
    <dd>${e.source}</dd>
    <dt>Stichtag</dt>
    <dd><time datetime="${e.stichtag}">${formatDay(e.stichtag)}</time>${e.note ? ` (${e.note})` : ''}</dd>
  </dl>`;
}

/** German words for the statuses of Vorhaben and projects (`open`: the source names none). */
export const STATUS_WORDS: Record<string, string> = {
  planned: 'geplant',
  in_progress: 'in Umsetzung',
  on_hold: 'pausiert',
  done: 'abgeschlossen',
  cancelled: 'abgebrochen',
  open: 'offen',
};
export const statusWord = (status: string | null): string => STATUS_WORDS[status ?? 'open'] ?? status ?? 'offen';

export const yesNo = (value: boolean | null | undefined): string => (value === null || value === undefined ? '–' : value ? 'ja' : 'nein');
