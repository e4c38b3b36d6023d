import type { Connector } from './connector.js';
import { strategyConnector } from './strategy/index.js';

const registry = {
  strategy: strategyConnector,
};

export type ConnectorKind = keyof typeof registry;

/** Every connector kind, listed once. A new kind is a folder, a line here, a fixture and a test. */
export const connectors: Record<ConnectorKind, Connector<unknown>> = registry;
