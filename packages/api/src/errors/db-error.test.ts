import { describe, expect, it } from 'vitest';
import { fromDbError } from './db-error.js';

// pg's errors carry the SQLSTATE as `code`; MikroORM's wrap them as `cause`
const pgError = (code: string) => Object.assign(new Error(`server said ${code}`), { code });

describe('database errors as domain errors', () => {
  it.each([
    ['23505', 'CONFLICT'],
    ['23503', 'CONFLICT'],
    ['22P02', 'BAD_USER_INPUT'],
    // NUL or invalid UTF-8 in a parameter, and text too long for its column: the client's input
    ['22021', 'BAD_USER_INPUT'],
    ['22P05', 'BAD_USER_INPUT'],
    ['22001', 'BAD_USER_INPUT'],
    // out of disk, memory or connections: the server's trouble, served as 503
    ['53100', 'UNAVAILABLE'],
    ['53200', 'UNAVAILABLE'],
    ['53300', 'UNAVAILABLE'],
    ['57P01', 'UNAVAILABLE'],
  ])('SQLSTATE %s is %s', (state, code) => {
    expect(fromDbError(pgError(state))?.code).toBe(code);
    expect(fromDbError(new Error('wrapped', { cause: pgError(state) }))?.code).toBe(code);
  });

  it('leaves errors without a meaning for the client to the INTERNAL path', () => {
    expect(fromDbError(pgError('42P01'))).toBeUndefined();
    expect(fromDbError(pgError('42501'))).toBeUndefined();
    expect(fromDbError(new TypeError('x'))).toBeUndefined();
  });

  it("treats node-postgres's lost connection (an Error without a code) as unavailable", () => {
    expect(fromDbError(new Error('Connection terminated unexpectedly'))?.code).toBe('UNAVAILABLE');
    expect(fromDbError(new Error('Client has encountered a connection error and is not queryable'))?.code).toBe('UNAVAILABLE');
    expect(fromDbError(new Error('timeout exceeded when trying to connect'))?.code).toBe('UNAVAILABLE');
    expect(fromDbError(new Error('Connection terminated by a user'))).toBeUndefined();
  });

  it('treats a refused connection as unavailable', () => {
    expect(fromDbError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))?.code).toBe('UNAVAILABLE');
  });
});
