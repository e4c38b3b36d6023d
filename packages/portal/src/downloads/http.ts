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
  private readonly waiting: ((release: () => void) => void)[] = [];

  /**
   * @param max exports streaming at once
   * @param waitMs how long a request waits for a slot before it is refused: a burst of downloads
   *   queues for a moment instead of failing at once
   * @param maxWaiting requests that may wait at once; beyond that they are refused at once
   */
  constructor(
    readonly max: number,
    readonly waitMs = 10_000,
    readonly maxWaiting = max * 4,
  ) {}

  /** A release function, or undefined when no slot came free in time (or too many wait already). */
  async acquire(): Promise<(() => void) | undefined> {
    if (this.used < this.max) return this.take();
    if (this.waiting.length >= this.maxWaiting || this.waitMs <= 0) return undefined;
    return new Promise((resolve) => {
      const waiter = (release: () => void) => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(undefined);
      }, this.waitMs);
      this.waiting.push(waiter);
    });
  }

  private take(): () => void {
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
      // the slot goes straight to the longest waiter
      const next = this.waiting.shift();
      if (next) next(this.take());
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
