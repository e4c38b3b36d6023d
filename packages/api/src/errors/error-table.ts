import type { ErrorCode } from './app-error.js';

/**
 * Each code once, with its GraphQL code, HTTP status and CKAN `__type`. CKAN's own table is in
 * ckan/views/api.py (https://docs.ckan.org/en/2.11/api/#ckan.logic.action).
 */
export const errorTable: Record<ErrorCode, { graphql: string; http: number; ckanType: string }> = {
  UNAUTHENTICATED: { graphql: 'UNAUTHENTICATED', http: 401, ckanType: 'Authorization Error' },
  FORBIDDEN: { graphql: 'FORBIDDEN', http: 403, ckanType: 'Authorization Error' },
  BAD_USER_INPUT: { graphql: 'BAD_USER_INPUT', http: 409, ckanType: 'Validation Error' },
  NOT_FOUND: { graphql: 'NOT_FOUND', http: 404, ckanType: 'Not Found Error' },
  CONFLICT: { graphql: 'CONFLICT', http: 409, ckanType: 'Validation Error' },
  RATE_LIMITED: { graphql: 'RATE_LIMITED', http: 429, ckanType: 'Rate Limit Error' },
  UNAVAILABLE: { graphql: 'UNAVAILABLE', http: 503, ckanType: 'Service Unavailable' },
  INTERNAL: { graphql: 'INTERNAL', http: 500, ckanType: 'Internal Server Error' },
  // 200 as Apollo's automatic persisted queries answer it: the client then sends the document with its hash
  PERSISTED_QUERY_NOT_FOUND: { graphql: 'PERSISTED_QUERY_NOT_FOUND', http: 200, ckanType: 'Not Found Error' },
  PERSISTED_QUERY_NOT_ALLOWED: { graphql: 'PERSISTED_QUERY_NOT_ALLOWED', http: 403, ckanType: 'Authorization Error' },
};
