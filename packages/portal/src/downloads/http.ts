import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { DataVersion } from '@hro/api/domain';

/**
 * A strong ETag for one representation of a resource at one data version: the same resource,
 * data version, column list and format options always give the same bytes.
 */
export function etagOf(resourceId: string, version: DataVersion, variant: string): string {
  const digest = createHash('sha256').update(variant).digest('base64url').slice(0, 16);
  return `"${resourceId}.${version.version}.${digest}"`;
}

/** HTTP dates have whole seconds. */
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** RFC 9110 §13.1: If-None-Match (weak comparison) wins over If-Modified-Since. */
export function notModified(request: FastifyRequest, etag: string, lastModified: Date): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) {
    return inm
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === etag);
  }
  const ims = request.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && seconds(lastModified) <= Math.floor(since / 1000);
  }
  return false;
}

export function isConditional(request: FastifyRequest): boolean {
  return request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined;
}

/**
 * How many exports stream at once. Each holds a database connection for as long as its client
 * reads; beyond the limit a request gets 503 with Retry-After instead of starving the pool.
 */
export class ExportSlots {
  private used = 0;
  constructor(readonly max: number) {}

  /** A release function, or undefined when all slots are taken. */
  acquire(): (() => void) | undefined {
    if (this.used >= this.max) return undefined;
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
    };
  }
}

/**
 * Text chunks as a stream that holds one chunk at a time, so the client's reading pace sets the
 * pace of the database reads. Chunks are batches of rows (about a megabyte).
 */
export function textStream(chunks: AsyncIterable<string>): Readable {
  return Readable.from(chunks, { objectMode: true, highWaterMark: 1 });
}
