import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorTable } from '@hro/api';
import { anonymous, type DomainContext, type Viewer } from '@hro/api/domain';
import type { RateLimits } from '../http/rate-limit.js';
import { errorPage } from '../pages/errors.js';
import { contentSecurityPolicy } from '../pages/assets.js';
import { registerExplorerAssets } from './explorer-assets.js';
import { explorerPage, wantsExplorer } from './explorer.js';
import { overviewPage, topicPage } from './pages.js';

export interface DeveloperRoutesOptions {
  contextOf: (request: FastifyRequest) => Promise<DomainContext>;
  /** public base URL for the snippets; default: from the request */
  baseUrl?: string;
  rateLimits: RateLimits;
}

const HTML = 'text/html; charset=utf-8';

/**
 * The "Für Entwickler" pages under /entwickler and the GraphQL explorer's files. Returns the
 * preHandler that the /graphql route runs first: a browser navigating there gets the explorer,
 * every API request (POST, GET asking for JSON) goes on to Apollo untouched.
 */
export function registerDeveloperRoutes(app: FastifyInstance, options: DeveloperRoutesOptions) {
  const assets = registerExplorerAssets(app);
  // the pages' policy (no tile origin here); the pages' own hook sets the same on every HTML answer
  const csp = contentSecurityPolicy();
  const baseOf = (request: FastifyRequest) => (options.baseUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');

  /** The viewer of a page; a key that does not check out gets the 401 page, as on every page. */
  const viewerOf = async (request: FastifyRequest, reply: FastifyReply): Promise<Viewer | undefined> => {
    try {
      return (await options.contextOf(request)).viewer;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const status = errorTable[e.code].http;
      await send(reply, anonymous, errorPage(status), status);
      return undefined;
    }
  };

  const send = (reply: FastifyReply, viewer: Viewer, body: string, status = 200) =>
    reply
      .code(status)
      .type(HTML)
      .header('content-security-policy', csp)
      .header('cache-control', viewer.role === 'anonymous' ? 'no-cache' : 'private, no-store')
      .header('vary', 'Accept, Cookie, Authorization')
      .send(body);

  app.get('/entwickler', async (request, reply) => {
    const viewer = await viewerOf(request, reply);
    if (!viewer) return reply;
    return send(reply, viewer, overviewPage({ viewer, baseUrl: baseOf(request), rateLimits: options.rateLimits }));
  });

  app.get<{ Params: { topic: string } }>('/entwickler/:topic', async (request, reply) => {
    const viewer = await viewerOf(request, reply);
    if (!viewer) return reply;
    const page = topicPage({ viewer, baseUrl: baseOf(request), rateLimits: options.rateLimits }, request.params.topic);
    return page ? send(reply, viewer, page) : send(reply, viewer, errorPage(404, viewer), 404);
  });

  /** preHandler of /graphql: the explorer for browsers, nothing (Apollo's turn) for API clients. */
  const explorer = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!wantsExplorer(request)) return;
    const viewer = await viewerOf(request, reply);
    if (!viewer) return reply;
    return send(reply, viewer, explorerPage(viewer, assets));
  };
  /**
   * onSend of /graphql: a GET answer depends on Accept (explorer or JSON), so caches must keep
   * them apart — anonymous JSON answers are public for a minute (persisted operations).
   */
  const varyAccept = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.method !== 'GET') return payload;
    const vary = reply.getHeader('vary');
    const current = typeof vary === 'string' ? vary : Array.isArray(vary) ? vary.join(', ') : '';
    if (!/(^|,)\s*accept\s*(,|$)/i.test(current)) reply.header('vary', current ? `${current}, Accept` : 'Accept');
    return payload;
  };
  return { explorer, varyAccept };
}
