import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { AppError, asAppError, errorTable, type Logger } from '@hro/api';
import {
  can,
  createSession,
  isUuid,
  showDataset,
  SESSION_COOKIE,
  type Action,
  type DomainContext,
  type OidcVerifier,
  type Viewer,
} from '@hro/api/domain';
import { negotiate } from '../dcat/serialize.js';
import { RateLimitedError } from '../http/rate-limit.js';
import { contentSecurityPolicy, registerAssets } from './assets.js';
import { readSearchForm } from './catalog-search.js';
import { datasetPath } from './components.js';
import { datasetPage } from './dataset.js';
import { registerDeveloperKeyPages } from './developer-keys.routes.js';
import { errorPage } from './errors.js';
import { etlPage, etlRunPage } from './etl.js';
import { kpiCsv, kpiPage } from './kpis.js';
import { readPreviewState } from './preview.js';
import { searchPage } from './search.js';
import { safeNext, signInPage } from './signin.js';
import { caseRows, initiativeRows, milestoneRows, procedureRows, projectRows, serviceRows } from './steering-rows.js';
import { steeringPage } from './steering.js';
import { landscapeBoardPage } from './steering-landscape.js';
import { ozgBoardPage } from './steering-ozg.js';
import { programBoardPage } from './steering-program.js';
import { monthNotFound, pageMonth, programIndexPage, programMonthPage } from '../program/pages.js';
import { startPage } from './start.js';
import { UsageCounter } from './usage.js';

export interface PagesOptions {
  contextOf: (request: FastifyRequest) => Promise<DomainContext>;
  pool: Pool;
  log: Logger;
  /** verifies OIDC tokens pasted into the sign-in form */
  oidc?: OidcVerifier;
  /** public base URL (API snippets); default: from the request */
  baseUrl?: string;
  /** HRO_MAP_TILE_URL: tiles under the map preview (default: a plain background) */
  tileUrl?: string;
}

const HTML = 'text/html; charset=utf-8';
const DOWNLOAD_ROUTES = new Set([
  '/dataset/:dataset/resource/:resource/download',
  '/dataset/:dataset/resource/:resource/download/:filename',
]);

/**
 * The portal's HTML pages (server-rendered, German): start, dataset search, dataset pages, the
 * KPI page, the sign-in, the steering board with its row lists, and the ETL status. Every HTML
 * answer of the server gets the Content-Security-Policy; pages for signed-in viewers are never
 * cached.
 */
export async function registerPages(
  app: FastifyInstance,
  options: PagesOptions,
): Promise<{ usage: UsageCounter; assets: Map<string, number> }> {
  const csp = contentSecurityPolicy(options.tileUrl);
  const usage = new UsageCounter();
  const baseOf = (request: FastifyRequest) => (options.baseUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');

  // on the root instance: every HTML answer, also the 404 handler's and other plugins'
  app.addHook('onSend', async (_request, reply) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', csp);
      reply.header('x-frame-options', 'DENY');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' || reply.statusCode !== 200) return;
    const route = request.routeOptions.url;
    const params = request.params as Record<string, string | undefined>;
    if (route === '/dataset/:name' && params.name) usage.count(params.name);
    else if (route && DOWNLOAD_ROUTES.has(route) && params.dataset && request.headers['x-hro-preview'] === undefined)
      usage.count(params.dataset);
  });

  const assets = registerAssets(app);

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    const send = (reply: FastifyReply, viewer: Viewer, body: string, status = 200) =>
      reply
        .code(status)
        .type(HTML)
        .header('cache-control', viewer.role === 'anonymous' ? 'no-cache' : 'private, no-store')
        .header('vary', reply.getHeader('vary') ?? 'Cookie, Authorization')
        .send(body);

    /** The policy decides: anonymous → sign-in (303), signed in without the role → 403 page. */
    const guard = (ctx: DomainContext, request: FastifyRequest, reply: FastifyReply, action: Action): boolean => {
      if (can(ctx.viewer, action)) return true;
      if (ctx.viewer.role === 'anonymous') void reply.redirect(`/anmelden?next=${encodeURIComponent(request.url)}`, 303);
      else void send(reply, ctx.viewer, errorPage(403, ctx.viewer), 403);
      return false;
    };

    scope.setErrorHandler(async (error, request, reply) => {
      if (error instanceof RateLimitedError) return reply.code(429).type(HTML).send(errorPage(429));
      const known = asAppError(error);
      if (known) {
        // an internal dataset is "not found" to those who may not read it: its existence stays hidden
        const status = known.code === 'FORBIDDEN' && request.routeOptions.url === '/dataset/:name' ? 404 : errorTable[known.code].http;
        return reply
          .code(status === 409 ? 400 : status)
          .type(HTML)
          .send(errorPage(status === 409 ? 400 : status));
      }
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== undefined && status >= 400 && status < 500) return reply.code(status).type(HTML).send(errorPage(400));
      const errorId = randomUUID();
      request.log.error({ errorId, err: error }, 'page failed');
      return reply
        .code(500)
        .type(HTML)
        .send(errorPage(500, undefined, `Fehlerkennung: ${errorId}`));
    });

    scope.get('/', async (request, reply) => {
      const ctx = await options.contextOf(request);
      return send(reply, ctx.viewer, await startPage(ctx, usage));
    });

    scope.get('/dataset', async (request, reply) => {
      const ctx = await options.contextOf(request);
      return send(reply, ctx.viewer, await searchPage(ctx, readSearchForm(request.query as Record<string, unknown>)));
    });

    scope.get<{ Params: { name: string } }>('/dataset/:name', async (request, reply) => {
      const ctx = await options.contextOf(request);
      const { name } = request.params;
      if (isUuid(name)) {
        // one address per dataset: its name
        const dataset = await showDataset(ctx, name);
        const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        return reply.redirect(`${datasetPath(dataset.name)}${search}`, 301);
      }
      // a linked-data client asking for RDF by name gets the DCAT serialisation (as ckanext-dcat)
      const accept = request.headers.accept ?? '';
      const format = /(turtle|n-triples|n3|rdf\+xml|ld\+json)/i.test(accept) ? negotiate(accept) : undefined;
      reply.header('vary', 'Accept, Cookie, Authorization');
      if (format && format !== 'html') return reply.redirect(`${datasetPath(name)}.${format}`, 303);
      const body = await datasetPage(ctx, name, {
        preview: readPreviewState(request.query as Record<string, unknown>),
        baseUrl: baseOf(request),
        tileUrl: options.tileUrl,
      });
      return send(reply, ctx.viewer, body);
    });

    scope.get('/kennzahlen', async (request, reply) => {
      const ctx = await options.contextOf(request);
      return send(reply, ctx.viewer, await kpiPage(ctx));
    });

    scope.get<{ Querystring: { kpi?: string; art?: string; nach?: string } }>('/kennzahlen/daten.csv', async (request, reply) => {
      const ctx = await options.contextOf(request);
      const { kpi, art, nach } = request.query;
      if (typeof kpi !== 'string' || kpi === '' || (art !== undefined && art !== 'werte' && art !== 'zeitreihe'))
        return reply.code(400).type(HTML).send(errorPage(400, ctx.viewer));
      const groupBy = typeof nach === 'string' ? nach.split(',').filter(Boolean).slice(0, 5) : undefined;
      const file = await kpiCsv(ctx, kpi, art ?? 'werte', groupBy);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .header('cache-control', ctx.viewer.role === 'anonymous' ? 'no-cache' : 'private, no-store')
        .send(file.body);
    });

    scope.get<{ Querystring: { next?: string } }>('/anmelden', async (request, reply) => {
      const ctx = await options.contextOf(request);
      return send(reply, ctx.viewer, signInPage(ctx.viewer, { next: safeNext(request.query.next), oidc: options.oidc !== undefined }));
    });

    /** A form post must come from our own pages (login CSRF): the Origin, when sent, names this host. */
    const sameOrigin = (request: FastifyRequest) => {
      const origin = request.headers.origin;
      if (origin === undefined) return true;
      try {
        return new URL(origin).host === request.host;
      } catch {
        return false;
      }
    };

    scope.post<{ Body: { key?: string; next?: string } | undefined }>('/anmelden', async (request, reply) => {
      const next = safeNext(request.body?.next);
      if (!sameOrigin(request)) return reply.code(403).type(HTML).send(errorPage(403));
      try {
        const session = await createSession(options.pool, String(request.body?.key ?? ''), options.oidc);
        const secure = request.protocol === 'https' || (options.baseUrl?.startsWith('https:') ?? false);
        reply.header(
          'set-cookie',
          `${SESSION_COOKIE}=${session.value}; Path=/; Max-Age=${session.maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
        );
        return await reply.redirect(next, 303);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'UNAUTHENTICATED') throw e;
        const viewer: Viewer = { role: 'anonymous' };
        return send(
          reply,
          viewer,
          signInPage(viewer, { next, oidc: options.oidc !== undefined, error: 'Der API-Schlüssel ist ungültig oder gesperrt.' }),
          401,
        );
      }
    });

    // self-service developer keys (issue 10): request, collect, own key, admin page
    registerDeveloperKeyPages(scope, { contextOf: options.contextOf, pool: options.pool, oidc: options.oidc, baseUrl: options.baseUrl });

    scope.post('/abmelden', async (request, reply) => {
      if (!sameOrigin(request)) return reply.code(403).type(HTML).send(errorPage(403));
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
      return reply.redirect('/', 303);
    });

    const steering = (path: string, render: (ctx: DomainContext, query: Record<string, unknown>, path: string) => Promise<string>) =>
      scope.get(path, async (request, reply) => {
        const ctx = await options.contextOf(request);
        if (!guard(ctx, request, reply, 'core.read')) return reply;
        return send(reply, ctx.viewer, await render(ctx, request.query as Record<string, unknown>, path));
      });
    steering('/steuerung', (ctx) => steeringPage(ctx));
    steering('/steuerung/projekte', projectRows);
    steering('/steuerung/meilensteine', (ctx) => milestoneRows(ctx));
    steering('/steuerung/vorhaben', initiativeRows);
    steering('/steuerung/fachverfahren', procedureRows);
    steering('/steuerung/leistungen', serviceRows);
    steering('/steuerung/fallzahlen', (ctx, query) => caseRows(ctx, query));
    // the driver projects' panels (issue 9)
    steering('/steuerung/ozg', (ctx) => ozgBoardPage(ctx));
    steering('/steuerung/it-bebauung', (ctx, query) => landscapeBoardPage(ctx, query));
    steering('/steuerung/programm', (ctx) => programBoardPage(ctx));

    // "Geplantes und Erreichtes": public part for everyone, complete for the steering team
    scope.get('/programm', async (request, reply) => {
      const ctx = await options.contextOf(request);
      return send(reply, ctx.viewer, await programIndexPage(ctx));
    });
    scope.get<{ Params: { month: string } }>('/programm/:month', async (request, reply) => {
      const ctx = await options.contextOf(request);
      const month = pageMonth(request.params.month);
      if (!month) return send(reply, ctx.viewer, errorPage(404, ctx.viewer, monthNotFound(request.params.month)), 404);
      return send(reply, ctx.viewer, await programMonthPage(ctx, month));
    });

    scope.get('/etl', async (request, reply) => {
      const ctx = await options.contextOf(request);
      if (!guard(ctx, request, reply, 'etl.read')) return reply;
      return send(reply, ctx.viewer, await etlPage(ctx, request.query as Record<string, unknown>));
    });
    scope.get<{ Params: { run: string } }>('/etl/:run', async (request, reply) => {
      const ctx = await options.contextOf(request);
      if (!guard(ctx, request, reply, 'etl.read')) return reply;
      const id = Number(request.params.run);
      if (!/^\d{1,12}$/.test(request.params.run)) return send(reply, ctx.viewer, errorPage(404, ctx.viewer), 404);
      return send(reply, ctx.viewer, await etlRunPage(ctx, id, request.query as Record<string, unknown>));
    });
  });
  return { usage, assets };
}
