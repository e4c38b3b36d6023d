import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Lines are sent to PostgreSQL in chunks of about this many characters. */
const CHUNK = 64 * 1024;

/** COPY text format: backslash, tab, newline and carriage return must be escaped. */
export function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Streams lines of COPY text format into one `COPY … FROM STDIN` on a client the caller owns.
 * Lines are collected into chunks (pg-copy-streams sends every write as its own CopyData message,
 * two socket writes, so a write per line would cost more than the line) and writes respect
 * back-pressure, so memory stays flat whatever the input size — and PostgreSQL inserts one chunk
 * on its core while Node reads the next.
 */
export class CopyWriter {
  private stream: Writable | undefined;
  private done: Promise<void> | undefined;
  /** the COPY's error, once PostgreSQL refused it (disk full, a bad value): later writes report it */
  private failed: Error | undefined;
  private pending = '';
  /** lines written so far */
  lines = 0;

  constructor(
    private readonly client: PoolClient,
    private readonly statement: string,
  ) {}

  private open(): Writable {
    const stream = this.client.query(copyFrom(this.statement));
    this.done = new Promise((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', (error: Error) => {
        this.failed ??= error;
        reject(error);
      });
    });
    // an error is surfaced by `done`; keep it from being an unhandled 'error' event meanwhile
    this.done.catch(() => {});
    this.stream = stream;
    return stream;
  }

  /** Adds one line (ending in `\n`); returns a promise only when the caller must wait for PostgreSQL. */
  write(line: string): Promise<void> | undefined {
    this.lines++;
    this.pending += line;
    return this.pending.length >= CHUNK ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    const stream = this.stream ?? this.open();
    const chunk = this.pending;
    this.pending = '';
    if (this.failed) throw this.failed;
    let flowing: boolean;
    try {
      flowing = stream.write(chunk);
    } catch (e) {
      // pg-copy-streams drops its connection when the server ends the COPY with an error, and a
      // write after that throws a TypeError of its own: the server's error is the one to report
      throw this.failed ?? e;
    }
    if (!flowing) await Promise.race([once(stream, 'drain'), this.done]);
  }

  /** Sends what is left and ends the COPY; resolves when PostgreSQL has taken every line. */
  async finish(): Promise<void> {
    if (this.pending.length > 0) await this.flush();
    if (!this.stream) return;
    this.stream.end();
    try {
      await this.done;
    } finally {
      this.stream = undefined;
    }
  }

  /** Aborts an unfinished COPY (PostgreSQL discards the rows written so far); the caller releases the client with the error. */
  abort(error: Error): void {
    this.pending = '';
    this.stream?.destroy(error);
    this.stream = undefined;
  }
}
