export * from './app-error.js';
export { errorTable } from './error-table.js';
export { asAppError, fromDbError, sqlStateOf, sqlStateKinds } from './db-error.js';
export { toError } from './to-error.js';
