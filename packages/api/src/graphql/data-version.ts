import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * The current data version (core.data_version), kept up to date by LISTEN hro_data_version: every
 * ETL run bumps it in its commit and NOTIFYs, so every API process — however many — learns of new
 * data at once. Until a notification arrives after a lost connection, the version is re-read on
 * reconnect; while disconnected, `current` is undefined and callers must not serve cached data.
 */
export class DataVersion {
  private version: number | undefined;
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  get current(): number | undefined {
    return this.version;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      const v = Number(message.payload);
      if (Number.isFinite(v)) this.version = Math.max(this.version ?? 0, v);
    });
    try {
      await client.connect();
      await client.query('listen hro_data_version');
      const { rows } = await client.query<{ version: string }>('select version::text from core.data_version');
      this.version = Number(rows[0]?.version ?? 0);
      this.client = client;
    } catch (e) {
      this.lost(client);
      this.log.warn({ err: e }, 'data-version listener could not connect; retrying');
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== undefined && this.client !== client) return;
    this.client = undefined;
    this.version = undefined;
    client.end().catch(() => {});
    if (!this.stopped && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        void this.connect();
      }, 1000);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
    this.client = undefined;
  }
}
