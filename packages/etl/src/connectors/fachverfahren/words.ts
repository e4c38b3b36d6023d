// The words the Fachverfahren exports use, mapped once onto the model's values (0001's checks).

/** Lebenszyklusphase → core.procedure.lifecycle_phase */
export const lifecyclePhases = {
  Planung: 'planning',
  Einführung: 'introduction',
  Betrieb: 'operation',
  Auslauf: 'phase_out',
  Abgelöst: 'retired',
} as const;

/** DMS-Anbindung and SOLL-DMS-Anbindung → none / one_way / two_way */
export const dmsConnections = {
  keine: 'none',
  einseitig: 'one_way',
  beidseitig: 'two_way',
} as const;

/** SOLL-Maßnahme of the IT-Bebauung → core.procedure.target_action */
export const targetActions = {
  behalten: 'keep',
  ablösen: 'replace',
  abschalten: 'retire',
  konsolidieren: 'consolidate',
} as const;

/** Richtung of an interface → core.procedure_interface.direction */
export const interfaceDirections = {
  einseitig: 'one_way',
  beidseitig: 'two_way',
} as const;
