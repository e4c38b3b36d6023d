export { createApolloServer, ApolloServer } from './apollo.js';
export { createLoaders, type GraphQLContext, type Loaders } from './context.js';
export { getSchema, printSdl } from './schema.js';
export { toGlobalId, fromGlobalId } from './relay.js';
export { defaultLimits, limitCodes, type QueryLimits } from './limits.js';
export { contextCreationError } from './format-error.js';
export { DataVersion } from './data-version.js';
export { loadPersistedOperations, sha256Hex, type PersistedOperations } from './persisted-operations.js';
