/**
 * The written definitions of the OZG-Monitoring: what each status, flag and column means. The
 * README of this folder repeats them for readers of the reports; the SQL is in migration 0015
 * (core.ozg_status, core.ozg_report_rows).
 */

export type OzgStatus = 'planned' | 'in_progress' | 'online' | 'end_to_end';

export const STATUS_LABELS: Record<OzgStatus, string> = {
  planned: 'geplant',
  in_progress: 'in Umsetzung',
  online: 'online',
  end_to_end: 'Ende-zu-Ende',
};

export const STATUS_DEFINITION =
  'Umsetzungsstatus aus dem IST-Reifegrad nach OZG-Reifegradmodell 1.1 zum Stichtag: Stufe 4 (Online-Transaktion, Bescheid digital) = ' +
  'Ende-zu-Ende; Stufe 3 (Antrag samt Nachweisen online) = online; Stufe 2 (Formular-Assistent online, Antrag noch nicht) = in Umsetzung; ' +
  'Stufe 0–1 oder unbekannt mit einem Ziel (SOLL) über dem IST in einem der beiden Modelle = geplant; sonst leer (nicht geplant).';

export const GAP_DEFINITION =
  'Ziel verfehlt: Das Zieldatum eines SOLL-Reifegrads liegt am oder vor dem Stichtag, und der IST-Reifegrad desselben Modells liegt ' +
  'darunter oder ist unbekannt. „Tage seit Zieldatum“ zählt ab dem frühesten verfehlten Zieldatum.';

export const SCOPE_DEFINITION =
  'Berichtet werden alle OZG-Leistungen (Art ozg) und jede weitere Leistung mit einem Reifegrad (IST oder SOLL) zum Stichtag, ' +
  'mit dem Stand ihrer Angaben am Ende des Stichtags (Europe/Berlin).';

export type ReportCellType = 'text' | 'int' | 'date' | 'bool';

export interface ReportColumn {
  /** the column of core.ozg_report_rows / open.ozg_monthly_report (month and stichtag: of the report) */
  key: string;
  /** the header in the CSV and XLSX files */
  header: string;
  type: ReportCellType;
  /** internal columns are left out of the public part (open.ozg_monthly_report) */
  internal: boolean;
  description: string;
}

/** The fixed column layout of the standard monthly report (README.md of this folder). Append only. */
export const OZG_REPORT_COLUMNS: readonly ReportColumn[] = [
  { key: 'month', header: 'Berichtsmonat', type: 'text', internal: false, description: 'Monat des Berichts, JJJJ-MM' },
  { key: 'stichtag', header: 'Stichtag', type: 'date', internal: false, description: 'letzter Tag des Monats; im laufenden Monat heute' },
  {
    key: 'service_key',
    header: 'Leistungsschlüssel',
    type: 'text',
    internal: false,
    description: 'Schlüssel der Plattform (ozg:…, leika:…)',
  },
  { key: 'kind', header: 'Art', type: 'text', internal: false, description: 'ozg, leika oder local' },
  { key: 'ozg_id', header: 'OZG-ID', type: 'text', internal: false, description: 'fünfstellige OZG-ID' },
  { key: 'leika_key', header: 'LeiKa-Schlüssel', type: 'text', internal: false, description: '14-stelliger Leistungsschlüssel' },
  { key: 'title', header: 'Leistung', type: 'text', internal: false, description: 'Bezeichnung der Leistung' },
  { key: 'themenfeld', header: 'Themenfeld', type: 'text', internal: false, description: 'Themenfeld des OZG-Umsetzungskatalogs' },
  { key: 'org_unit', header: 'Zuständige Organisationseinheit', type: 'text', internal: true, description: 'Code der zuständigen OE' },
  { key: 'procedure_key', header: 'Fachverfahren', type: 'text', internal: true, description: 'Kennung des bearbeitenden Fachverfahrens' },
  { key: 'efa', header: 'EfA-Nachnutzung', type: 'bool', internal: true, description: 'ja: Einer-für-Alle-Lösung nachgenutzt' },
  { key: 'ist_1_1', header: 'Reifegrad IST (1.1)', type: 'int', internal: false, description: 'Reifegradmodell 1.1, Stufe 0–4' },
  { key: 'soll_1_1', header: 'Reifegrad SOLL (1.1)', type: 'int', internal: false, description: 'Zielstufe im Modell 1.1' },
  { key: 'target_date_1_1', header: 'Zieldatum (1.1)', type: 'date', internal: false, description: 'Zieldatum der Zielstufe 1.1' },
  { key: 'ist_2_0', header: 'Reifegrad IST (2.0)', type: 'int', internal: false, description: 'Reifegradmodell 2.0, Stufe 0–7' },
  { key: 'soll_2_0', header: 'Reifegrad SOLL (2.0)', type: 'int', internal: false, description: 'Zielstufe im Modell 2.0' },
  { key: 'target_date_2_0', header: 'Zieldatum (2.0)', type: 'date', internal: false, description: 'Zieldatum der Zielstufe 2.0' },
  { key: 'status', header: 'Umsetzungsstatus', type: 'text', internal: false, description: STATUS_DEFINITION },
  { key: 'online', header: 'Online (1.1 ab Stufe 3)', type: 'bool', internal: false, description: 'ja: IST-Reifegrad 1.1 mindestens 3' },
  { key: 'target_missed', header: 'Ziel verfehlt', type: 'bool', internal: false, description: GAP_DEFINITION },
  {
    key: 'days_since_target',
    header: 'Tage seit Zieldatum',
    type: 'int',
    internal: false,
    description: 'Tage vom frühesten verfehlten Zieldatum bis zum Stichtag',
  },
];
