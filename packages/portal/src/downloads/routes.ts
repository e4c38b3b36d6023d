import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { AppError, sqlStateOf, UnavailableError, ValidationError } from '@hro/api';
import {
  describeDownload,
  dumpParams,
  openDownload,
  openDump,
  type DataVersion,
  type DomainContext,
  type ExportColumn,
  type ExportSource,
} from '@hro/api/domain';
import { csvHeader, csvRows, type CsvDialect } from './csv.js';
import { dumpWriters } from './dump.js';
import { etagOf, ExportSlots, isConditional, notModified, textStream } from './http.js';
import { GEOJSON_END, GEOJSON_START, geojsonRows, geometryColumn, JSON_END, JSON_START, jsonRows } from './json.js';
import { writeXlsx } from './xlsx.js';

export type DownloadFormat = 'csv' | 'json' | 'geojson' | 'xlsx';
const downloadFormats: Record<DownloadFormat, { contentType: string; extension: string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  geojson: { contentType: 'application/geo+json', extension: 'geojson' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
};
const isFormat = (f: string): f is DownloadFormat => Object.hasOwn(downloadFormats, f);

interface DownloadOptions {
  format: DownloadFormat;
  dialect: CsvDialect;
}

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value[0]);
  return typeof value === 'string' ? value : undefined;
}

/** The format asked for (`?format=`, else the file name's extension) and the CSV options. */
function downloadOptions(query: Record<string, unknown>, filename: string | undefined, resourceFormat: string): DownloadOptions {
  const asked = single(query.format)?.toLowerCase() ?? filename?.split('.').pop()?.toLowerCase();
  const fallback = resourceFormat.toLowerCase();
  const format = asked ?? (isFormat(fallback) ? fallback : 'csv');
  if (!isFormat(format)) throw ValidationError.of('format', 'must be one of csv, json, geojson, xlsx');
  const bom = single(query.bom)?.toLowerCase();
  if (bom !== undefined && !['1', '0', 'true', 'false', ''].includes(bom)) throw ValidationError.of('bom', 'must be 1 or 0');
  const sep = single(query.sep);
  if (sep !== undefined && sep !== ',' && sep !== ';') throw ValidationError.of('sep', 'must be "," or ";"');
  return { format, dialect: { separator: sep === ';' ? ';' : ',', decimalComma: sep === ';', bom: bom === '1' || bom === 'true' } };
}

/** Everything that changes the bytes of a download besides the data version. */
function variant(options: DownloadOptions, columns: ExportColumn[]): string {
  const { format, dialect } = options;
  const csv = format === 'csv' ? `${dialect.separator}${dialect.bom ? 'bom' : ''}` : '';
  return `${format}${csv}|${columns.map((c) => `${c.id}:${c.type}`).join(',')}`;
}

function setFileHeaders(
  reply: FastifyReply,
  input: { etag: string; version: DataVersion; contentType: string; filename: string; private: boolean },
): void {
  reply
    .header('content-type', input.contentType)
    .header('content-disposition', `attachment; filename="${input.filename}"`)
    .header('etag', input.etag)
    .header('last-modified', input.version.changedAt.toUTCString())
    // open data may be cached but must be revalidated (it changes with every ETL run); internal data never
    .header('cache-control', input.private ? 'private, no-store' : 'public, no-cache');
}

/** The first batch is read before any byte is sent: a failure to start is an error response, not a cut file. */
async function firstBatch(source: ExportSource) {
  const iterator = source.batches()[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* all(): AsyncGenerator<(string | null)[][]> {
    if (first.done) return;
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { batches: all(), close: () => iterator.return?.().then(() => source.close()) ?? source.close() };
}

/**
 * The export's close, also bound to the response's end. The generators that stream an export close
 * it when they end — but one the response drops before its first read never runs (a generator's
 * `finally` needs a start), and a client gone early would keep the database connection for good.
 */
function closedWithResponse(reply: FastifyReply, closeExport: () => Promise<unknown>): () => Promise<unknown> {
  let closed: Promise<unknown> | undefined;
  const close = () => (closed ??= closeExport());
  if (reply.raw.closed) void close();
  else reply.raw.once('close', () => void close());
  return close;
}

/** The size of one written chunk: small enough for V8's young generation (large strings go straight to the old one). */
const CHUNK_BYTES = 64 * 1024;

/**
 * Text chunks from batches, framed by start and end; the export ends with the stream however it
 * ends. A batch is encoded a slice of rows at a time, sized so that each chunk stays near
 * CHUNK_BYTES: short-lived small strings are collected cheaply, where megabyte strings would pile
 * up as garbage in the old generation until a full collection.
 */
async function* framed(
  batches: AsyncIterable<(string | null)[][]>,
  start: string,
  encode: (rows: (string | null)[][], first: boolean) => string,
  end: string,
  close: () => Promise<unknown>,
): AsyncGenerator<string> {
  try {
    let first = true;
    let pending = start;
    let step = 64;
    for await (const rows of batches) {
      for (let from = 0; from < rows.length;) {
        const slice = rows.slice(from, from + step);
        from += slice.length;
        const piece = encode(slice, first);
        first = false;
        step = Math.max(1, Math.min(4096, Math.round((slice.length * CHUNK_BYTES) / Math.max(1, piece.length))));
        yield pending + piece;
        pending = '';
      }
    }
    yield pending + end;
  } finally {
    await close();
  }
}

/**
 * Streams the rows to the client. A failure after the first byte destroys the connection
 * (Fastify does so for a failing stream), so a cut download never ends like a complete one:
 * chunked transfer stops without its final chunk and the client reports an error.
 */
async function sendRows(
  reply: FastifyReply,
  source: ExportSource,
  format: DownloadFormat,
  dialect: CsvDialect,
  sheetName: string,
): Promise<FastifyReply> {
  const { batches, close: closeExport } = await firstBatch(source);
  const close = closedWithResponse(reply, closeExport);
  const columns = source.columns;
  switch (format) {
    case 'csv': {
      const encode = csvRows(columns, dialect);
      return reply.send(textStream(framed(batches, csvHeader(columns, dialect), (rows) => encode(rows), '', close)));
    }
    case 'json':
      return reply.send(textStream(framed(batches, JSON_START, jsonRows(columns), JSON_END, close)));
    case 'geojson':
      return reply.send(textStream(framed(batches, GEOJSON_START, geojsonRows(columns), GEOJSON_END, close)));
    case 'xlsx': {
      const out = new PassThrough({ highWaterMark: 1 << 16 });
      const geometry = geometryColumn(columns);
      // a geometry is no spreadsheet cell (and often longer than one may be): XLSX leaves it out, GeoJSON has it
      void writeXlsx(out, columns, batches, { sheetName, omit: (c) => geometry >= 0 && c === columns[geometry] })
        .catch((e: unknown) => out.destroy(e as Error))
        .finally(() => void close());
      return reply.send(out);
    }
  }
}

/**
 * The file downloads and CKAN's DataStore dump:
 * - GET|HEAD /dataset/<dataset id or name>/resource/<resource id>/download[/<file name>]
 *   ?format=csv|json|geojson|xlsx (default: the resource's format), CSV: &bom=1, &sep=;
 * - GET|HEAD /datastore/dump/<resource id>?format=csv|tsv|json|xml&bom=true and CKAN's search
 *   parameters (q, filters, fields, sort, distinct, offset, limit)
 */
export function registerDownloadRoutes(
  app: FastifyInstance,
  deps: { contextOf: (request: FastifyRequest) => Promise<DomainContext>; pool: Pool; waitMs?: number },
): void {
  // half the pool, so searches, pages and the API keep connections while files stream; a burst
  // waits up to as long as the Retry-After it would otherwise be told
  const slots = new ExportSlots(Math.max(1, Math.floor((deps.pool.options.max ?? 10) / 2)), deps.waitMs ?? 10_000);
  const takeSlot = async (reply: FastifyReply) => {
    const release = await slots.acquire();
    if (!release) {
      reply.header('retry-after', '10');
      throw new UnavailableError('Zu viele gleichzeitige Downloads, bitte gleich noch einmal versuchen');
    }
    // a client that gave up while it waited gets no export: nothing would read it, and a stream
    // sent to a closed response would hold its database connection
    if (reply.raw.closed || reply.raw.socket?.destroyed !== false) {
      release();
      return false;
    }
    reply.raw.on('close', release);
    return true;
  };

  const download = async (
    request: FastifyRequest<{ Params: { dataset: string; resource: string; filename?: string } }>,
    reply: FastifyReply,
  ) => {
    const { dataset, resource: resourceId, filename } = request.params;
    const query = request.query as Record<string, unknown>;
    const ctx = await deps.contextOf(request);
    const target = { dataset, resourceId };

    let source: ExportSource | undefined;
    let described: { resource: ExportSource['resource']; columns: ExportColumn[]; version: DataVersion };
    // HEAD and conditional requests are answered without opening an export
    if (request.method === 'HEAD' || isConditional(request)) {
      described = await describeDownload(ctx, target);
    } else {
      if (!(await takeSlot(reply))) return reply;
      source = await openDownload(ctx, target);
      described = source;
    }
    try {
      const options = downloadOptions(query, filename, described.resource.format);
      if (options.format === 'geojson' && geometryColumn(described.columns) < 0) {
        throw ValidationError.of('format', 'GeoJSON is offered for datasets with a geometry only');
      }
      const headers = (d: typeof described) => {
        const etag = etagOf(d.resource.id, d.version, variant(options, d.columns));
        setFileHeaders(reply, {
          etag,
          version: d.version,
          contentType: downloadFormats[options.format].contentType,
          filename: `${d.resource.dataset.name}.${downloadFormats[options.format].extension}`,
          private: d.resource.dataset.private,
        });
        return etag;
      };
      const etag = headers(described);
      if (notModified(request, etag, described.version.changedAt)) return reply.code(304).send();
      if (request.method === 'HEAD') return reply.send();
      if (!source) {
        if (!(await takeSlot(reply))) return reply;
        source = await openDownload(ctx, target);
        // the export's snapshot decides: the data may have moved since the description
        headers(source);
      }
      const started = source;
      source = undefined;
      return await sendRows(reply, started, options.format, options.dialect, described.resource.dataset.name);
    } catch (e) {
      // an error answer is no file
      for (const name of ['content-type', 'content-disposition', 'etag', 'last-modified', 'cache-control']) reply.removeHeader(name);
      throw e;
    } finally {
      await source?.close();
    }
  };

  const dump = async (request: FastifyRequest<{ Params: { resource: string } }>, reply: FastifyReply) => {
    const resourceId = request.params.resource;
    let parsed: ReturnType<typeof dumpParams>;
    try {
      parsed = dumpParams(resourceId, request.query as Record<string, unknown>);
    } catch (e) {
      return dumpError(reply, e);
    }
    const ctx = await deps.contextOf(request);
    let source: ExportSource;
    try {
      if (request.method === 'GET' && !(await takeSlot(reply))) return reply;
      source = await openDump(ctx, parsed.params);
    } catch (e) {
      return dumpError(reply, e);
    }
    const writer = dumpWriters[parsed.format];
    const fileHeaders = () =>
      reply
        .header('content-type', writer.contentType)
        .header('content-disposition', `attachment; filename="${resourceId}.${writer.extension}"`)
        .header('cache-control', source.resource.dataset.private ? 'private, no-store' : 'no-cache');
    if (request.method === 'HEAD') {
      await source.close();
      return fileHeaders().send();
    }
    let started: Awaited<ReturnType<typeof firstBatch>>;
    try {
      started = await firstBatch(source);
    } catch (e) {
      await source.close();
      // a tsquery that does not parse (plain=false) or a value the column's type refuses
      const state = sqlStateOf(e);
      return dumpError(reply, state === '42601' || state?.startsWith('22') ? new ValidationError({ query: ['Invalid query'] }) : e);
    }
    fileHeaders();
    const { batches } = started;
    const close = closedWithResponse(reply, started.close);
    const encode = writer.rows(source.columns);
    return reply.send(textStream(framed(batches, writer.start(source.columns, parsed.bom), (rows) => encode(rows), writer.end, close)));
  };

  // Errors answer through the app's handler ({error: {code, message}}, the one error table)
  void app.register(async (scope) => {
    for (const url of ['/dataset/:dataset/resource/:resource/download', '/dataset/:dataset/resource/:resource/download/:filename']) {
      scope.route({ method: ['GET', 'HEAD'], url, handler: download });
    }
    scope.route({ method: ['GET', 'HEAD'], url: '/datastore/dump/:resource', handler: dump });
  });
}

/** CKAN answers the dump's errors as pages: 400 with "field: message" lines, 404 "DataStore resource not found". */
function dumpError(reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof ValidationError) {
    const text = Object.entries(e.fieldErrors)
      .map(([key, messages]) => `${key}: ${messages.join(' ')}`)
      .join('\n');
    return reply.code(400).type('text/plain; charset=utf-8').send(text);
  }
  if (e instanceof AppError && e.code === 'NOT_FOUND') {
    return reply.code(404).type('text/plain; charset=utf-8').send('DataStore resource not found');
  }
  throw e;
}
