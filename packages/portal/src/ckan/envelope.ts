import { asAppError, errorTable } from '@hro/api';

/** CKAN's `help` link for an action, as CKAN 2.11 writes it. */
export function helpUrl(baseUrl: string, action: string): string {
  return `${baseUrl}/api/3/action/help_show?name=${encodeURIComponent(action)}`;
}

export function success(baseUrl: string, action: string, result: unknown) {
  return { help: helpUrl(baseUrl, action), success: true, result };
}

/** CKAN's error envelope: HTTP status and `__type` from the one error table. */
export function failure(baseUrl: string, action: string, error: unknown): { status: number; body: unknown; internal: boolean } {
  const app = asAppError(error);
  if (!app) {
    return {
      status: 500,
      internal: true,
      body: {
        help: helpUrl(baseUrl, action),
        success: false,
        error: { message: 'Internal Server Error', __type: 'Internal Server Error' },
      },
    };
  }
  const entry = errorTable[app.code];
  const fieldErrors = (app.details as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors;
  const errorBody = fieldErrors ? { ...fieldErrors, __type: entry.ckanType } : { message: app.message, __type: entry.ckanType };
  return { status: entry.http, internal: false, body: { help: helpUrl(baseUrl, action), success: false, error: errorBody } };
}
