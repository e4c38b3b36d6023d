import { errorTable, type ErrorCode } from '@hro/api';
import { defaultLimits, limitCodes } from '@hro/api/graphql';

/**
 * The rows of the error-code table of the developer pages, built from the code's own tables: the
 * codes, HTTP statuses and CKAN types come from `errorTable`, the GraphQL limit codes from
 * `limitCodes`. The German explanations are keyed by the same type, so a new code without an
 * explanation fails the type check — the table cannot drift from the code.
 */
const explanations: Record<ErrorCode, string> = {
  UNAUTHENTICATED:
    'Der mitgesendete Schlüssel oder das Token ist ungültig, abgelaufen oder gesperrt – oder die Abfrage braucht eine Anmeldung.',
  FORBIDDEN: 'Angemeldet, aber die Rolle erlaubt es nicht (z. B. interne Kennzahlen ohne Steuerungsrolle).',
  BAD_USER_INPUT: 'Eine Eingabe ist ungültig; details.fieldErrors nennt die Felder mit ihren Meldungen.',
  NOT_FOUND: 'Das Objekt gibt es nicht – oder Sie dürfen es nicht sehen.',
  CONFLICT: 'Die Änderung widerspricht dem Bestand (z. B. ein Name ist vergeben).',
  RATE_LIMITED: 'Zu viele Anfragen im Zeitfenster; Retry-After nennt die Sekunden bis zum nächsten Versuch.',
  UNAVAILABLE: 'Die Datenbank ist gerade nicht erreichbar; mit Retry-After erneut versuchen.',
  INTERNAL: 'Ein unerwarteter Fehler; errorId steht im Protokoll des Betriebs – bitte bei Rückfragen angeben.',
  PERSISTED_QUERY_NOT_FOUND: 'Der Hash ist unbekannt: das Dokument einmal zusammen mit dem Hash senden.',
  PERSISTED_QUERY_NOT_ALLOWED: 'Hier laufen nur freigegebene Operationen (Allowlist); senden Sie eine gelistete Operation oder ihren Hash.',
};

const limitExplanations: Record<string, string> = {
  QUERY_TOO_DEEP: `Die Abfrage ist tiefer als ${defaultLimits.maxDepth} Ebenen.`,
  TOO_MANY_ALIASES: `Mehr als ${defaultLimits.maxAliases} Aliase in einer Abfrage.`,
  QUERY_TOO_COMPLEX: `Die geschätzten Kosten übersteigen ${defaultLimits.maxComplexity.toLocaleString('de-DE')} (eine Connection kostet Seitengröße × Kindfelder).`,
};

export interface ErrorCodeRow {
  code: string;
  http: number;
  /** the CKAN API's `error.__type`, where the code occurs there */
  ckanType?: string;
  explanation: string;
}

export function errorCodeRows(): ErrorCodeRow[] {
  const domain = (Object.keys(errorTable) as ErrorCode[]).map((code) => ({
    code: errorTable[code].graphql,
    http: errorTable[code].http,
    ckanType: errorTable[code].ckanType,
    explanation: explanations[code],
  }));
  const limits = limitCodes.map((code) => ({
    code,
    http: 400,
    explanation: limitExplanations[code] ?? 'Die Abfrage überschreitet ein Limit.',
  }));
  return [...domain, ...limits];
}
