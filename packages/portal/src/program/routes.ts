import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROGRAM_FEED_PATH, programFeed, seesCompleteProgram, type DomainContext } from '@hro/api/domain';
import { programAtom } from './atom.js';

interface Deps {
  contextOf: (request: FastifyRequest) => Promise<DomainContext>;
  /** public base URL of the feed's links and ids (default: from the request) */
  baseUrl?: string;
}

// as in the DCAT routes: a Host header that is no plain name or address would make invalid IRIs
const plainHost = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The program's Atom feed, /programm/feed.atom: one entry per month with changes over the last
 * twelve months — the public changes for everyone, all of them for the steering team (API key or
 * signed-in session). The HTML page of a month is /programm/<YYYY-MM> (rendered by the pages).
 */
export function registerProgramRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(PROGRAM_FEED_PATH, async (request, reply) => {
    const ctx = await deps.contextOf(request);
    const entries = await programFeed(ctx, { months: 12 });
    const complete = seesCompleteProgram(ctx);
    const baseUrl = (deps.baseUrl ?? `${request.protocol}://${plainHost.test(request.host) ? request.host : 'localhost'}`).replace(
      /\/+$/,
      '',
    );
    const xml = programAtom(entries, {
      baseUrl,
      selfPath: PROGRAM_FEED_PATH,
      pagePath: (month) => `/programm/${month}`,
      complete,
      fallbackUpdated: new Date(),
    });
    return reply
      .type('application/atom+xml; charset=utf-8')
      .header('vary', 'authorization, cookie')
      .header('cache-control', complete ? 'private, no-store' : 'public, max-age=300')
      .send(xml);
  });
}
