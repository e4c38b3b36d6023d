import type { PoolClient } from 'pg';
import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { rawTypes, type DatastoreColumn, type ValueKind } from './datastore.columns.js';
import type { SearchParams } from './datastore.params.js';
import { buildDownload, buildSearch } from './datastore.query.js';
import { findDatasetResource, findResource, mayRead, resourceColumns, type DatastoreResource } from './datastore.resource.js';
import { DEFAULT_FTS_LANGUAGE, viewName } from './datastore.search.js';

/** A column of an export, in output order. */
export interface ExportColumn {
  id: string;
  type: string;
  kind: ValueKind;
}

/** The data version an export reads: it moves only when an ETL run commits (core.data_version). */
export interface DataVersion {
  version: string;
  changedAt: Date;
}

/**
 * An export of one resource, read in one REPEATABLE READ transaction so that the rows and the
 * data version (its ETag) belong together. Rows come from a server-side cursor in batches, so
 * memory stays flat however large the view is; the consumer's pace sets the pace of the FETCHes.
 */
export interface ExportSource {
  resource: DatastoreResource;
  columns: ExportColumn[];
  version: DataVersion;
  /** the rows in batches, each value PostgreSQL's text output (null for NULL); ends the transaction at the end */
  batches(): AsyncGenerator<(string | null)[][], void, undefined>;
  /** ends the transaction and returns the connection; safe to call more than once */
  close(): Promise<void>;
}

type Rows = (string | null)[][];

/**
 * Rows per FETCH: about 10,000 values (~1,400 rows of 7 columns), so a batch is a few hundred
 * kilobytes whatever the width: big enough that round trips do not matter, small enough that
 * rows die young in V8's heap.
 */
function batchSize(columns: number): number {
  return Math.max(100, Math.min(5000, Math.floor(10_000 / Math.max(1, columns))));
}

async function readVersion(db: Pick<PoolClient, 'query'>): Promise<DataVersion> {
  const { rows } = await db.query<{ version: string; changed_at: Date }>(`select version::text, changed_at from core.data_version`);
  return { version: rows[0]?.version ?? '0', changedAt: rows[0]?.changed_at ?? new Date(0) };
}

async function openCursor(
  ctx: DomainContext,
  resource: DatastoreResource,
  plan: (client: PoolClient) => Promise<{ sql: string; values: unknown[]; columns: ExportColumn[] }>,
): Promise<ExportSource> {
  const client = await ctx.pool.connect();
  let released = false;
  const release = async (broken?: unknown) => {
    if (released) return;
    released = true;
    if (broken === undefined) {
      try {
        await client.query('rollback');
      } catch (e) {
        client.release(e as Error);
        return;
      }
    }
    // a connection that failed mid-FETCH is discarded, not returned to the pool
    client.release(broken === undefined ? undefined : (broken as Error));
  };
  try {
    await client.query('begin isolation level repeatable read read only');
    // a reader that stops reading must not hold a snapshot open for ever
    await client.query(`set local idle_in_transaction_session_timeout = '5min'`);
    const version = await readVersion(client);
    const { sql, values, columns } = await plan(client);
    const size = batchSize(columns.length);
    return {
      resource,
      columns,
      version,
      close: () => release(),
      async *batches() {
        let failed: unknown;
        const fetch = (): Promise<Rows> => {
          const next = client
            .query<(string | null)[]>({ text: `fetch forward ${size} from hro_export`, rowMode: 'array', types: rawTypes })
            .then((result): Rows => result.rows);
          // observed here, awaited below: a read-ahead the consumer never takes must not go unhandled
          void next.catch(() => {});
          return next;
        };
        // read ahead: the database produces the next batch while this one is encoded and sent
        let ahead: Promise<Rows> = Promise.resolve([]);
        try {
          await client.query({ text: `declare hro_export no scroll cursor for ${sql}`, values });
          ahead = fetch();
          for (let more = true; more;) {
            const rows = await ahead;
            more = rows.length === size;
            if (more) ahead = fetch();
            if (rows.length === 0) continue;
            // The rows go out in a copy, and pg's array lets go of them at once: pg's Result, whose
            // array this is, often reaches V8's old generation while its FETCH runs, and from there
            // it kept the rows alive through the scavenges until a full collection (≈ 0.5 KB of
            // old-generation garbage per row, the export's RSS growth — 2 of 3 promoted bytes of an
            // export were such rows). The copy is emptied when the consumer asks for the next
            // batch, for the same reason. (Emptying pg's array only then, instead of at once, left
            // exports of clients that went away early holding their transaction: downloads.test
            // failed 2 of 4 runs under load, none of 10 since.)
            const batch = rows.slice();
            rows.length = 0;
            yield batch;
            batch.length = 0;
          }
        } catch (e) {
          failed = e;
          throw e;
        } finally {
          // also when the consumer stops early (a client that went away); a read-ahead still
          // running finishes first, the connection runs one statement at a time
          await ahead.catch(() => {});
          await release(failed);
        }
      },
    };
  } catch (e) {
    await release(e);
    throw e;
  }
}

/** Finds a download's resource and decides access: 404 for an unknown one, UNAUTHENTICATED/FORBIDDEN for an internal one. */
async function downloadResource(ctx: DomainContext, input: { dataset: string; resourceId: string }): Promise<DatastoreResource> {
  const resource = await findDatasetResource(ctx.pool, input.dataset, input.resourceId);
  authorize(ctx, 'catalog.read');
  if (!resource) throw new NotFoundError('Resource', input.resourceId);
  if (!mayRead(ctx, resource)) authorize(ctx, 'catalog.read_private');
  return resource;
}

/**
 * A download of a resource of a dataset (by id or name): every column of its view, in key
 * order. Internal datasets need the steering role.
 */
export async function openDownload(ctx: DomainContext, input: { dataset: string; resourceId: string }): Promise<ExportSource> {
  return runAction(ctx, 'datastore.download', async (c) => {
    const resource = await downloadResource(c, input);
    return openCursor(c, resource, async (client) => {
      const columns = await resourceColumns(client, resource);
      return { sql: buildDownload(viewName(resource), columns), values: [], columns: exportColumns(columns) };
    });
  });
}

/** A download's resource, columns and data version without reading rows (HEAD, 304). */
export async function describeDownload(
  ctx: DomainContext,
  input: { dataset: string; resourceId: string },
): Promise<{ resource: DatastoreResource; columns: ExportColumn[]; version: DataVersion }> {
  return runAction(ctx, 'datastore.download', async (c) => {
    const resource = await downloadResource(c, input);
    const columns = exportColumns(await resourceColumns(c.pool, resource));
    return { resource, columns, version: await readVersion(c.pool) };
  });
}

function exportColumns(columns: DatastoreColumn[]): ExportColumn[] {
  return columns.map((c) => ({ id: c.id, type: c.type, kind: c.kind }));
}

/**
 * CKAN's DataStore dump (/datastore/dump/<id>): the search's rows without a page limit, `_id`
 * first. An unknown resource and one the viewer may not read are both "not found", as in CKAN.
 */
export async function openDump(ctx: DomainContext, params: SearchParams): Promise<ExportSource> {
  return runAction(ctx, 'datastore.dump', async (c) => {
    const resource = await findResource(c.pool, params.resourceId);
    authorize(c, 'catalog.read');
    if (!resource?.datastoreActive || !mayRead(c, resource)) throw new NotFoundError('DataStore resource', params.resourceId);
    if (params.offset < 0) throw new ValidationError({ offset: [`invalid value "${params.offset}"`] });
    return openCursor(c, resource, async (client) => {
      const columns = await resourceColumns(client, resource);
      if (typeof params.q === 'object' || (typeof params.q === 'string' && params.q !== '')) {
        const language = params.language ?? DEFAULT_FTS_LANGUAGE;
        const { rowCount } = await client.query(`select 1 from pg_ts_config where cfgname = $1`, [language]);
        if (!rowCount) throw new ValidationError({ language: [`invalid value "${language}"`] });
      }
      const built = buildSearch(viewName(resource), columns, params, params.language ?? DEFAULT_FTS_LANGUAGE);
      return { sql: built.pageSql, values: built.values, columns: built.fields.map((f) => ({ id: f.id, type: f.type, kind: f.kind })) };
    });
  });
}
