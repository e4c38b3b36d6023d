// OpenProject's statuses onto the steering model's five (core.project.status, core.work_package.status).

/** The steering model's status vocabulary (the check constraint of core.project.status). */
export type SteeringStatus = 'planned' | 'in_progress' | 'on_hold' | 'done' | 'cancelled';

/**
 * Project status codes of API v3 (`_links.status` → `/api/v3/project_statuses/<code>`): the
 * tool's traffic light says how a running project goes, not whether it runs, so the three
 * lights all mean "in progress".
 */
const projectStatusCodes: Record<string, SteeringStatus> = {
  not_started: 'planned',
  on_track: 'in_progress',
  at_risk: 'in_progress',
  off_track: 'in_progress',
  finished: 'done',
  discontinued: 'cancelled',
};

/** A project status code (`on_track`) as a steering status; unknown codes give null. */
export function projectStatus(code: string | null): SteeringStatus | null {
  return code ? (projectStatusCodes[code] ?? null) : null;
}

/**
 * Work-package status names of OpenProject's standard configuration, German and English
 * (an instance may rename them). The API also says per status whether it is closed; the export
 * carries only the name, so an export with a status missing here is quarantined row by row —
 * extend this table when an instance uses its own statuses.
 */
const workPackageStatusNames: Record<string, SteeringStatus> = {};
const vocabulary: [SteeringStatus, string[]][] = [
  [
    'planned',
    [
      'Neu',
      'New',
      'In Spezifikation',
      'In specification',
      'Spezifiziert',
      'Specified',
      'Bestätigt',
      'Confirmed',
      'Zu planen',
      'Einzuplanen',
      'To be scheduled',
      'Geplant',
      'Eingeplant',
      'Scheduled',
    ],
  ],
  [
    'in_progress',
    [
      'In Bearbeitung',
      'In Arbeit',
      'In progress',
      'Entwickelt',
      'Developed',
      'In Test',
      'Im Test',
      'In testing',
      'Getestet',
      'Tested',
      'Test fehlgeschlagen',
      'Test failed',
    ],
  ],
  ['on_hold', ['Pausiert', 'Zurückgestellt', 'Angehalten', 'On hold']],
  ['done', ['Geschlossen', 'Erledigt', 'Abgeschlossen', 'Closed']],
  ['cancelled', ['Abgelehnt', 'Verworfen', 'Rejected']],
];
for (const [status, names] of vocabulary) for (const name of names) workPackageStatusNames[name.toLowerCase()] = status;

/** A status name of the standard vocabulary, or null when the name is not known. */
export function knownWorkPackageStatus(name: string): SteeringStatus | null {
  return workPackageStatusNames[name.trim().replace(/\s+/g, ' ').toLowerCase()] ?? null;
}

/** What the API says of a status (`/api/v3/statuses`): closed, the default for new work packages. */
export interface StatusFacts {
  isClosed?: boolean | null;
  isDefault?: boolean | null;
}

/**
 * A work package's status from the API: the name when the vocabulary knows it, else the API's
 * facts (closed → done, default → planned, other open statuses → in progress). The API's
 * `isClosed` wins over the name, so a renamed closed status never counts as open.
 */
export function workPackageStatus(name: string, facts: StatusFacts): SteeringStatus {
  const known = knownWorkPackageStatus(name);
  if (facts.isClosed === true) return known === 'cancelled' ? 'cancelled' : 'done';
  if (known && known !== 'done' && known !== 'cancelled') return known;
  if (facts.isDefault === true) return 'planned';
  return 'in_progress';
}

/** Closed statuses end a work package (a closed milestone is reached or dropped). */
export const isClosedStatus = (status: SteeringStatus): boolean => status === 'done' || status === 'cancelled';

/** Type names of OpenProject's milestone type (export only: the API says `isMilestone`). */
export const milestoneTypeNames = ['meilenstein', 'milestone'];
