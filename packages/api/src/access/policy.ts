import { AppError, ForbiddenError, UnauthenticatedError } from '../errors/index.js';
import { hasRole, type Role, type Viewer } from './viewer.js';

/**
 * Every action the platform knows and the least role that may take it — the one place where
 * access is decided. GraphQL resolvers, the CKAN API, downloads and DCAT all ask here.
 */
export const policy = {
  // open data: the `open` schema and the public catalog
  'open.read': 'anonymous',
  'catalog.read': 'anonymous',
  'catalog.read_private': 'steering',
  // the steering model in `core` and all KPIs
  'core.read': 'steering',
  'kpi.read_internal': 'steering',
  // the steering team maintains the OZG targets (SOLL) beside the maturity file
  'ozg.target.write': 'steering',
  // operations
  'etl.read': 'admin',
  'etl.run': 'admin',
  // Prometheus metrics (/metrics): runs, rows and latencies are operational data
  'ops.metrics': 'admin',
  'catalog.write': 'admin',
  'apikey.manage': 'admin',
  // self-service keys (issue 10): anyone may ask for a developer key (an admin decides, the
  // status token collects it); a signed-in key holder manages their own key (usage, rotate, revoke)
  'apikey.request': 'anonymous',
  'apikey.own': 'developer',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof policy;

export function can(viewer: Viewer, action: Action): boolean {
  return hasRole(viewer, policy[action]);
}

/** Marks a checked decision on the context (for the auth audit) and throws when not allowed. */
export interface AccessContext {
  viewer: Viewer;
  authorized?: boolean;
}

export function authorize(ctx: AccessContext, action: Action): void {
  ctx.authorized = true;
  if (can(ctx.viewer, action)) return;
  throw ctx.viewer.role === 'anonymous' ? new UnauthenticatedError(`Authentication required for ${action}`) : new ForbiddenError(action);
}

/**
 * authorize for one part of a request's input — a filter field, an order — that touches data of
 * `action`: refused like the data itself (UNAUTHENTICATED / FORBIDDEN), naming the input, so a
 * filter or a sort can never probe values its viewer may not read.
 */
export function authorizeInput(ctx: AccessContext, action: Action, input: string): void {
  ctx.authorized = true;
  if (can(ctx.viewer, action)) return;
  const message = `${input}: needs the ${policy[action]} role (${action})`;
  throw ctx.viewer.role === 'anonymous' ? new UnauthenticatedError(message) : new AppError('FORBIDDEN', message, { action, input });
}

/**
 * Where a viewer reads an entity from: the public view in `open`, or the full table in `core`.
 * Anonymous users and developers never read `core`.
 */
export function readScope(ctx: AccessContext): 'open' | 'core' {
  ctx.authorized = true;
  return can(ctx.viewer, 'core.read') ? 'core' : 'open';
}
