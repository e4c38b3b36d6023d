// Public surface of @hro/api: configuration, logging, errors, and (via subpaths) db, model,
// domain and graphql. Portal and etl import only from these entry points.
export { loadConfig, ConfigError, settings, repoRoot, ensureWritableDir, type Config, type SettingName } from './config.js';
export { createLogger, logContext, type Logger } from './logger.js';
export * from './errors/index.js';
export { portIsFree, freePort } from './net.js';
