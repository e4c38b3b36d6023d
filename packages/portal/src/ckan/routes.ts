import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '@hro/api/domain';
import type { Logger } from '@hro/api';
import { randomUUID } from 'node:crypto';
import { actions, type ActionEnv } from './actions.js';
import { failure, helpUrl, success } from './envelope.js';

/** Mounts /api/3/action/<name> and /api/action/<name> (GET and POST) and /api/3. */
export function registerCkanRoutes(
  app: FastifyInstance,
  deps: { contextOf: (request: FastifyRequest) => Promise<DomainContext>; log: Logger; baseUrl?: string; siteTitle: string },
): void {
  const handle = async (request: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const name = request.params.name;
    const env: ActionEnv = {
      baseUrl: deps.baseUrl ?? `${request.protocol}://${request.headers.host ?? 'localhost'}`,
      siteTitle: deps.siteTitle,
    };
    const action = actions[name];
    reply.header('content-type', 'application/json;charset=utf-8');
    if (!action) {
      return reply.code(400).send({
        help: helpUrl(env.baseUrl, name),
        success: false,
        error: { message: `Bad request - Action name not known: ${name}`, __type: 'Bad Request' },
      });
    }
    const params = {
      ...(request.query as Record<string, unknown>),
      ...(request.method === 'POST' && request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {}),
    };
    try {
      const ctx = await deps.contextOf(request);
      return reply.send(success(env.baseUrl, name, await action.run(ctx, params, env)));
    } catch (e) {
      const { status, body, internal } = failure(env.baseUrl, name, e);
      if (internal) deps.log.error({ errorId: randomUUID(), err: e, action: name }, 'CKAN action failed');
      return reply.code(status).send(body);
    }
  };
  for (const prefix of ['/api/3/action', '/api/action']) {
    app.get(`${prefix}/:name`, handle);
    app.post(`${prefix}/:name`, handle);
  }
  app.get('/api/3', async () => ({ version: 3 }));
}
