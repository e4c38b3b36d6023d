import type { Connector } from './connector.js';
import { strategyConnector } from './strategy/index.js';
import { fachverfahrenConnector } from './fachverfahren/index.js';
import { ozgConnector } from './ozg/index.js';
import { openProjectConnector, openProjectExportConnector } from './openproject/index.js';
import { geoConnector } from './geo/index.js';
import { leistungszuordnungConnector } from './leistungszuordnung/index.js';

const registry = {
  strategy: strategyConnector,
  fachverfahren: fachverfahrenConnector,
  ozg: ozgConnector,
  openproject: openProjectConnector,
  'openproject-export': openProjectExportConnector,
  geo: geoConnector,
  leistungszuordnung: leistungszuordnungConnector,
};

export type ConnectorKind = keyof typeof registry;

/** Every connector kind, listed once. A new kind is a folder, a line here, a fixture and a test. */
export const connectors: Record<ConnectorKind, Connector<unknown>> = registry;
