/**
 * Spreadsheet formula neutralisation (OWASP "CSV Injection"): a text cell that begins with `=`,
 * `+`, `-`, `@`, a tab or a carriage return would be run as a formula by Excel or LibreOffice when
 * the file is opened — `=HYPERLINK(…)` exfiltrates, `=cmd|…` executes. Such a cell gets a leading
 * apostrophe, which spreadsheets show as text. Only text columns are touched: numbers, dates and
 * booleans stay what they are (a negative number is a number, not a formula).
 */
export function neutralise(text: string): string {
  switch (text.charCodeAt(0)) {
    case 61: // =
    case 43: // +
    case 45: // -
    case 64: // @
    case 9: // tab
    case 13: // carriage return
      return `'${text}`;
    default:
      return text;
  }
}

export function needsNeutralising(text: string): boolean {
  return neutralise(text) !== text;
}
