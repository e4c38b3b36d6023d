import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dcatCatalogPage, dcatDataset, parseModifiedSince, type DomainContext } from '@hro/api/domain';
import { NotFoundError, ValidationError } from '@hro/api';
import { formats, isFormat, negotiate, serialize, type Format } from './serialize.js';

interface Deps {
  contextOf: (request: FastifyRequest) => Promise<DomainContext>;
  /** public base URL of the IRIs (default: from the request) */
  baseUrl?: string;
}

// a parameter given twice arrives as an array: refused like any other malformed value
type CatalogQuery = { page?: string | string[]; modified_since?: string | string[] };

// The IRIs are built on the Host header unless a base URL is configured: a host that is not a
// plain name or address (with port) would make invalid IRIs, so it falls back to localhost.
const plainHost = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const baseOf = (deps: Deps, request: FastifyRequest) =>
  (deps.baseUrl ?? `${request.protocol}://${plainHost.test(request.host) ? request.host : 'localhost'}`).replace(/\/+$/, '');

// The graphs are built with n3's DataFactory: n3 (≈ 2 MB of a process that serves DCAT now and
// then) is loaded with the first DCAT request, not at start
const rdf = () => import('./graph.js');

/** ckanext-dcat answers bad parameters with 409 and the message, and unknown datasets with 404. */
function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ValidationError)
    return reply.code(409).type('text/plain; charset=utf-8').send(Object.values(error.fieldErrors).flat().join('; '));
  if (error instanceof NotFoundError) return reply.code(404).type('text/plain; charset=utf-8').send('Nicht gefunden');
  throw error;
}

/**
 * DCAT-AP.de 3.0 endpoints as ckanext-dcat serves them: /catalog.<format> (100 datasets per page,
 * `?page=N`, `?modified_since=<ISO 8601>`), /catalog by content negotiation, and
 * /dataset/<name or id>.<format>. Formats: ttl, n3, nt, rdf (also xml), jsonld.
 */
export function registerDcatRoutes(app: FastifyInstance, deps: Deps): void {
  const catalog = async (request: FastifyRequest<{ Querystring: CatalogQuery }>, reply: FastifyReply, format: Format) => {
    const { page: pageParam, modified_since: since } = request.query;
    try {
      if (pageParam !== undefined && (typeof pageParam !== 'string' || !/^\d+$/.test(pageParam)))
        throw ValidationError.of('page', 'Page param must be a positive integer starting in 1');
      if (since !== undefined && typeof since !== 'string')
        throw ValidationError.of('modified_since', 'Wrong modified date format. Use ISO-8601 format');
      const ctx = await deps.contextOf(request);
      const page = await dcatCatalogPage(ctx, {
        page: pageParam === undefined ? 1 : Number(pageParam),
        modifiedSince: since ? parseModifiedSince(since) : null,
      });
      const base = baseOf(deps, request);
      const url = new URL(request.url, `${base}/`);
      const pageUrl = (n: number) => {
        const params = new URLSearchParams(url.search);
        params.delete('page');
        params.append('page', String(n));
        return `${base}${url.pathname}?${params.toString()}`;
      };
      const { catalogGraph } = await rdf();
      const body = await serialize(catalogGraph(base, page, { pageUrl }), format);
      return reply.type(formats[format].contentType).send(body);
    } catch (e) {
      return sendError(reply, e);
    }
  };

  app.get<{ Params: { format: string }; Querystring: CatalogQuery }>('/catalog.:format', async (request, reply) => {
    const { format } = request.params;
    if (!isFormat(format)) return reply.code(404).type('text/plain; charset=utf-8').send('Nicht gefunden');
    return catalog(request, reply, format);
  });

  app.get<{ Querystring: CatalogQuery }>('/catalog', async (request, reply) => {
    reply.header('vary', 'Accept');
    const format = negotiate(request.headers.accept);
    if (format === 'html') return reply.redirect('/', 303);
    if (!format)
      return reply
        .code(406)
        .type('text/plain; charset=utf-8')
        .send('Nicht lieferbar. Formate: text/turtle, application/rdf+xml, application/ld+json, application/n-triples, text/n3');
    return catalog(request, reply, format);
  });

  app.get<{ Params: { id: string; format: string } }>('/dataset/:id.:format', async (request, reply) => {
    const { id, format } = request.params;
    if (!isFormat(format)) return reply.code(404).type('text/plain; charset=utf-8').send('Nicht gefunden');
    try {
      const dataset = await dcatDataset(await deps.contextOf(request), id);
      const { datasetGraph } = await rdf();
      const body = await serialize(datasetGraph(baseOf(deps, request), dataset), format);
      return await reply.type(formats[format].contentType).send(body);
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
