import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous, type DomainContext } from '@hro/api/domain';
import type { Logger } from '@hro/api';
import { randomUUID } from 'node:crypto';
import { actions, type ActionEnv } from './actions.js';
import { failure, helpUrl, success } from './envelope.js';
import { badRequest, CkanError, pyValueRepr } from './errors.js';
import { RateLimitedError } from '../http/rate-limit.js';

const JSON_TYPE = 'application/json;charset=utf-8';
const JAVASCRIPT_TYPE = 'application/javascript;charset=utf-8';

/** A request body as the CKAN scope's content-type parsers leave it: form text or raw text. */
type Body = { kind: 'form'; text: string } | { kind: 'raw'; text: string; type: string };

/** Werkzeug's MultiDict.to_dict(flat=False) folded as CKAN's `mixed`: one value or a list. */
function mixed(entries: Iterable<[string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...(seen as string[]), value] : [seen, value];
  }
  return out;
}

const jsonError = (detail: string) => badRequest(`JSON Error: ${detail}`);

/**
 * The action's parameters, read as CKAN's _get_request_data does for actions that may be called
 * with GET: a POSTed form (a form with one key and the value "1" or "" is JSON in the key, as
 * `curl -d '{…}'` sends it), else the URL parameters, else a JSON body. Anything but a JSON
 * object is CKAN's 400 "JSON Error".
 */
function requestData(request: FastifyRequest): Record<string, unknown> {
  const query = request.query as Record<string, unknown>;
  const body = request.method === 'POST' ? (request.body as Body | undefined) : undefined;
  let data: unknown = {};
  if (body?.kind === 'form' && body.text !== '') {
    const form = [...new URLSearchParams(body.text).entries()];
    const values = form.map(([, v]) => v);
    if (values.length === 1 && (values[0] === '1' || values[0] === '')) {
      try {
        data = JSON.parse(form[0]?.[0] ?? '') as unknown;
      } catch (e) {
        throw jsonError(
          `Error decoding JSON data. Error: JSONDecodeError(${pyValueRepr((e as Error).message)}) JSON data extracted from the request: {}`,
        );
      }
    } else {
      data = mixed(form);
    }
  } else if (Object.keys(query).length > 0) {
    data = query;
  } else if (body?.kind === 'raw' && body.text.trim() !== '' && !body.type.startsWith('multipart/form-data')) {
    try {
      data = JSON.parse(body.text) as unknown;
    } catch {
      throw jsonError(`Error decoding JSON data. Error: <BadRequest '400: Bad Request'> JSON data extracted from the request: {}`);
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw jsonError(`Request data JSON decoded to ${pyValueRepr(data)} but it needs to be a dictionary.`);
  }
  return { ...(data as Record<string, unknown>) };
}

/** Python's html.escape of a JSONP callback name. */
const escapeCallback = (name: string) =>
  name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

/**
 * Mounts the CKAN Action API — /api/3/action/<name> and /api/action/<name>, GET and POST — and
 * /api/3, with CKAN's envelope, errors and request parsing (ckan/views/api.py). Its routes live in
 * their own scope so their body parsing (forms, JSON read by the handler to answer bad JSON as
 * CKAN does) does not change other routes.
 */
export function registerCkanRoutes(
  app: FastifyInstance,
  deps: { contextOf: (request: FastifyRequest) => Promise<DomainContext>; log: Logger; baseUrl?: string; siteTitle: string },
): void {
  const handle = async (request: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const name = request.params.name;
    const env: ActionEnv = {
      baseUrl: deps.baseUrl ?? `${request.protocol}://${request.headers.host ?? 'localhost'}`,
      siteTitle: deps.siteTitle,
      path: request.url,
    };
    reply.header('content-type', JSON_TYPE);
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    try {
      if (!action) throw badRequest(`Action name not known: ${name}`);
      const params = requestData(request);
      // a JSONP request runs as anonymous: a page of another site must not read with the visitor's key
      const callback = 'callback' in params;
      delete params.callback;
      const ctx = await deps.contextOf(request);
      const result = await action.run(callback ? { ...ctx, viewer: anonymous } : ctx, params, env);
      const body = success(env.baseUrl, name, result);
      const jsonp = (request.query as Record<string, unknown>).callback;
      if (request.method === 'GET' && typeof jsonp === 'string') {
        return reply.header('content-type', JAVASCRIPT_TYPE).send(`${escapeCallback(jsonp)}(${JSON.stringify(body)});`);
      }
      return reply.send(body);
    } catch (e) {
      if (e instanceof CkanError) {
        if (typeof e.error === 'string') return reply.code(e.status).send(JSON.stringify(e.error));
        return reply.code(e.status).send({ help: helpUrl(env.baseUrl, name), success: false, error: e.error });
      }
      const { status, body, internal } = failure(env.baseUrl, name, e);
      if (internal) deps.log.error({ errorId: randomUUID(), err: e, action: name }, 'CKAN action failed');
      return reply.code(status).send(body);
    }
  };

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, text, done) => {
      done(null, { kind: 'form', text: text as string } satisfies Body);
    });
    scope.addContentTypeParser('*', { parseAs: 'string' }, (request, text, done) => {
      done(null, { kind: 'raw', text: text as string, type: request.headers['content-type'] ?? '' } satisfies Body);
    });
    // Errors before the handler runs (hooks, body parsing). The scope may be loaded before the app
    // sets its error handler, so it keeps its own: the limiter's 429 as the app sends it, a bad
    // request as CKAN's bare string, anything else as CKAN's internal error.
    scope.setErrorHandler((error, request, reply) => {
      if (error instanceof RateLimitedError) return reply.code(429).send(error.body);
      const status = (error as { statusCode?: number }).statusCode;
      reply.header('content-type', JSON_TYPE);
      if (status !== undefined && status >= 400 && status < 500)
        return reply.code(status).send(JSON.stringify(`Bad request - ${(error as Error).message}`));
      const errorId = randomUUID();
      request.log.error({ errorId, err: error }, 'CKAN request failed');
      return reply.code(500).send({ success: false, error: { message: 'Internal Server Error', __type: 'Internal Server Error' } });
    });
    for (const prefix of ['/api/3/action', '/api/action']) {
      scope.route({ method: ['GET', 'POST'], url: `${prefix}/:name`, handler: handle });
    }
    scope.get('/api/3', async (_request, reply) => reply.header('content-type', JSON_TYPE).send({ version: 3 }));
  });
}
