import { createHash, randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DomainContext } from '../domain/context.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors/index.js';
import { newKeyPrefix, newKeySecret } from './api-key.js';
import { readApiKey, type ApiKeyRow } from './api-key.service.js';
import { audit } from './audit.js';
import { authorize } from './policy.js';
import { runAction } from './action.js';

/**
 * Self-service developer keys (issue 10). A developer asks for a key on the portal; an admin
 * approves (a developer key row is made, status `approved`, without a secret) or rejects it; the
 * requester — who holds the request's status token, since no e-mail is sent — collects the key
 * once: only then is its secret made, its hash stored and the key shown. So the plain key is
 * never stored anywhere, not even between approval and collection, and a second collection finds
 * nothing to show. The token is stored as its SHA-256 only.
 */

export interface ApiKeyRequestInput {
  name: string;
  email: string;
  purpose: string;
  /** the terms of use were accepted */
  acceptTerms: boolean;
}

export interface ApiKeyRequestRow {
  id: string;
  name: string;
  email: string;
  purpose: string;
  /** pending, approved or rejected */
  status: string;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  reason: string | null;
  apiKeyId: number | null;
  collectedAt: Date | null;
}

/** What the holder of the status token may see of their request. */
export interface ApiKeyRequestStatus {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: Date;
  decidedAt: Date | null;
  reason: string | null;
  collectedAt: Date | null;
  /** the issued key's state (approved requests): approved (ready to collect), active, revoked */
  keyStatus: string | null;
  keyPrefix: string | null;
}

/** At most this many undecided requests per e-mail address (the portal's form is also rate-limited). */
export const MAX_PENDING_PER_EMAIL = 3;
// a placeholder in core.api_key.hash until the key is collected: no secret verifies against it
const UNCOLLECTED = 'uncollected';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
// control characters other than line breaks and tabs have no place in a form's text
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const tokenHash = (token: string) => createHash('sha256').update(`hro-key-request|${token}`).digest('hex');

const requestColumns = `id, name, email, purpose, status, created_at as "createdAt", decided_at as "decidedAt", decided_by as "decidedBy",
  reason, api_key_id as "apiKeyId", collected_at as "collectedAt"`;

/** Checks the form's fields; every problem is named per field in German (shown beside the field). */
export function validateApiKeyRequest(input: Partial<Record<keyof ApiKeyRequestInput, unknown>>): ApiKeyRequestInput {
  const errors: Record<string, string[]> = {};
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const name = text(input.name).replace(/\s+/g, ' ');
  const email = text(input.email);
  const purpose = text(input.purpose).replace(/\r\n?/g, '\n');
  if (name.length < 2) errors.name = ['Bitte geben Sie Ihren Namen oder den Ihrer Organisation an (mindestens 2 Zeichen).'];
  else if (name.length > 200) errors.name = ['Der Name darf höchstens 200 Zeichen lang sein.'];
  else if (CONTROL.test(name)) errors.name = ['Der Name enthält unzulässige Steuerzeichen.'];
  if (email === '') errors.email = ['Bitte geben Sie Ihre E-Mail-Adresse an.'];
  else if (email.length > 254 || !EMAIL.test(email))
    errors.email = ['Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@beispiel.de.'];
  if (purpose.length < 10) errors.purpose = ['Bitte beschreiben Sie kurz, wofür Sie den Schlüssel nutzen möchten (mindestens 10 Zeichen).'];
  else if (purpose.length > 2000) errors.purpose = ['Die Beschreibung darf höchstens 2000 Zeichen lang sein.'];
  else if (CONTROL.test(purpose)) errors.purpose = ['Die Beschreibung enthält unzulässige Steuerzeichen.'];
  if (input.acceptTerms !== true) errors.acceptTerms = ['Bitte stimmen Sie den Nutzungsbedingungen zu.'];
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { name, email, purpose, acceptTerms: true };
}

/**
 * Stores a request as pending (anyone). Returns its id and the status token — the only
 * credential to see its decision and to collect the key; it is not stored and cannot be shown again.
 */
export function requestApiKey(
  ctx: DomainContext,
  input: Partial<Record<keyof ApiKeyRequestInput, unknown>>,
): Promise<{ id: string; token: string }> {
  return runAction(ctx, 'api_key_request.create', async (c) => {
    authorize(c, 'apikey.request');
    const valid = validateApiKeyRequest(input);
    const token = randomBytes(32).toString('base64url');
    // the count and the insert in one statement: concurrent requests cannot both slip under the limit unnoticed by much
    const { rows } = await c.pool.query<{ id: string }>(
      `insert into core.api_key_request (name, email, purpose, terms_accepted_at, token_hash)
       select $1, $2, $3, now(), $4
        where (select count(*) from core.api_key_request where lower(email) = lower($2) and status = 'pending') < $5
       returning id`,
      [valid.name, valid.email, valid.purpose, tokenHash(token), MAX_PENDING_PER_EMAIL],
    );
    const id = rows[0]?.id;
    if (!id)
      throw ValidationError.of(
        'email',
        `Für diese E-Mail-Adresse liegen bereits ${MAX_PENDING_PER_EMAIL} offene Anträge vor. Bitte warten Sie auf die Entscheidung.`,
      );
    await audit(c, 'apikey.request', `request:${id}`, { name: valid.name });
    return { id, token };
  });
}

/** Finds a request by id and status token; a wrong token and an unknown id are the same NOT_FOUND. */
async function byToken(db: DomainContext['pool'] | PoolClient, id: string, token: string, lock = false): Promise<ApiKeyRequestRow> {
  if (!UUID.test(id) || typeof token !== 'string' || token.length < 20 || token.length > 100) throw new NotFoundError('ApiKeyRequest', id);
  const { rows } = await db.query<ApiKeyRequestRow>(
    `select ${requestColumns} from core.api_key_request where id = $1 and token_hash = $2${lock ? ' for update' : ''}`,
    [id, tokenHash(token)],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('ApiKeyRequest', id);
  return row;
}

/** The state of a request, for the holder of its status token. */
export function apiKeyRequestStatus(ctx: DomainContext, id: string, token: string): Promise<ApiKeyRequestStatus> {
  return runAction(ctx, 'api_key_request.status', async (c) => {
    // the status token is the credential: anyone holding it may read this request
    authorize(c, 'apikey.request');
    const row = await byToken(c.pool, id, token);
    const key = row.apiKeyId
      ? (await c.pool.query<{ status: string; prefix: string }>(`select status, prefix from core.api_key where id = $1`, [row.apiKeyId]))
          .rows[0]
      : undefined;
    return {
      id: row.id,
      status: row.status as ApiKeyRequestStatus['status'],
      createdAt: row.createdAt,
      decidedAt: row.decidedAt,
      reason: row.reason,
      collectedAt: row.collectedAt,
      keyStatus: key?.status ?? null,
      keyPrefix: key?.prefix ?? null,
    };
  });
}

async function inTransaction<T>(ctx: DomainContext, body: (db: PoolClient) => Promise<T>): Promise<T> {
  const db = await ctx.pool.connect();
  try {
    await db.query('begin');
    const result = await body(db);
    await db.query('commit');
    return result;
  } catch (e) {
    await db.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    db.release();
  }
}

/**
 * Collects the key of an approved request (the holder of the status token), exactly once: the
 * secret is made now, its hash stored and the key activated, in one transaction that also marks
 * the request collected. A second call — or a concurrent one — gets CONFLICT, never the key.
 */
export function collectApiKey(ctx: DomainContext, id: string, token: string): Promise<{ key: string; apiKeyId: number }> {
  return runAction(ctx, 'api_key_request.collect', async (c) => {
    authorize(c, 'apikey.request');
    const result = await inTransaction(c, async (db) => {
      const row = await byToken(db, id, token, true);
      if (row.status === 'pending') throw new ConflictError('The request has not been decided yet', { reason: 'pending' });
      if (row.status !== 'approved' || row.apiKeyId === null) throw new ConflictError('The request was rejected', { reason: 'rejected' });
      if (row.collectedAt) throw new ConflictError('The key was collected already; it is shown only once', { reason: 'collected' });
      const { rows } = await db.query<{ prefix: string; status: string }>(
        `select prefix, status from core.api_key where id = $1 for update`,
        [row.apiKeyId],
      );
      const key = rows[0];
      if (key?.status !== 'approved') throw new ConflictError('The key was revoked before it was collected', { reason: 'revoked' });
      const secret = await newKeySecret(key.prefix);
      await db.query(`update core.api_key set hash = $2, status = 'active' where id = $1`, [row.apiKeyId, secret.hash]);
      await db.query(`update core.api_key_request set collected_at = now() where id = $1`, [row.id]);
      await audit(c, 'apikey.collect', `key:${row.apiKeyId}`, { request: row.id }, db);
      return { key: secret.key, apiKeyId: row.apiKeyId };
    });
    return result;
  });
}

/** Requests, undecided first, then newest first (admin); `status` filters. */
export function listApiKeyRequests(ctx: DomainContext, filter: { status?: string | null } = {}): Promise<ApiKeyRequestRow[]> {
  return runAction(ctx, 'api_key_request.list', async (c) => {
    authorize(c, 'apikey.manage');
    const status = filter.status ?? null;
    if (status !== null && !['pending', 'approved', 'rejected'].includes(status))
      throw ValidationError.of('status', 'one of pending, approved, rejected');
    const { rows } = await c.pool.query<ApiKeyRequestRow>(
      `select ${requestColumns} from core.api_key_request where $1::text is null or status = $1
        order by status = 'pending' desc, created_at desc limit 500`,
      [status],
    );
    return rows;
  });
}

function checkId(id: string): void {
  if (!UUID.test(id)) throw new NotFoundError('ApiKeyRequest', id);
}

async function lockPending(db: PoolClient, id: string): Promise<ApiKeyRequestRow> {
  checkId(id);
  const { rows } = await db.query<ApiKeyRequestRow>(`select ${requestColumns} from core.api_key_request where id = $1 for update`, [id]);
  const row = rows[0];
  if (!row) throw new NotFoundError('ApiKeyRequest', id);
  if (row.status !== 'pending') throw new ConflictError(`The request was ${row.status} already`, { status: row.status });
  return row;
}

async function readRequest(ctx: DomainContext, id: string): Promise<ApiKeyRequestRow> {
  const { rows } = await ctx.pool.query<ApiKeyRequestRow>(`select ${requestColumns} from core.api_key_request where id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError('ApiKeyRequest', id);
  return rows[0];
}

/**
 * Approves a pending request (admin): a developer key is issued — named after the requester,
 * with their e-mail as contact — in status `approved`, without a secret until it is collected.
 */
export function approveApiKeyRequest(ctx: DomainContext, id: string): Promise<{ request: ApiKeyRequestRow; apiKey: ApiKeyRow }> {
  return runAction(ctx, 'api_key_request.approve', async (c) => {
    authorize(c, 'apikey.manage');
    const keyId = await inTransaction(c, async (db) => {
      const request = await lockPending(db, id);
      const { rows } = await db.query<{ id: number }>(
        `insert into core.api_key (prefix, hash, name, role, contact, status) values ($1, $2, $3, 'developer', $4, 'approved') returning id`,
        [newKeyPrefix(), UNCOLLECTED, request.name, request.email],
      );
      const created = rows[0]?.id;
      if (created === undefined) throw new AppError('INTERNAL', 'no key row');
      await db.query(
        `update core.api_key_request set status = 'approved', decided_at = now(), decided_by = $2, api_key_id = $3 where id = $1`,
        [id, c.viewer.subject ?? c.viewer.role, created],
      );
      await audit(c, 'apikey.request.approve', `request:${id}`, { key: created }, db);
      return created;
    });
    return { request: await readRequest(c, id), apiKey: await readApiKey(c, keyId) };
  });
}

/** Rejects a pending request with a reason the requester reads on the status page (admin). */
export function rejectApiKeyRequest(ctx: DomainContext, id: string, reason: string): Promise<ApiKeyRequestRow> {
  return runAction(ctx, 'api_key_request.reject', async (c) => {
    authorize(c, 'apikey.manage');
    const text = reason.trim();
    if (text.length < 3 || text.length > 1000) throw ValidationError.of('reason', 'Bitte nennen Sie einen Grund (3 bis 1000 Zeichen).');
    await inTransaction(c, async (db) => {
      await lockPending(db, id);
      await db.query(
        `update core.api_key_request set status = 'rejected', decided_at = now(), decided_by = $2, reason = $3 where id = $1`,
        [id, c.viewer.subject ?? c.viewer.role, text],
      );
      await audit(c, 'apikey.request.reject', `request:${id}`, { reason: text }, db);
    });
    return readRequest(c, id);
  });
}
