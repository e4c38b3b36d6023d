import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { AppError, ValidationError } from '@hro/api';
import {
  apiKeyRequestStatus,
  approveApiKeyRequest,
  can,
  collectApiKey,
  createSession,
  keyIdOf,
  listApiKeyRequests,
  listApiKeys,
  ownApiKey,
  rejectApiKeyRequest,
  requestApiKey,
  revokeApiKey,
  revokeOwnApiKey,
  rotateApiKey,
  rotateOwnApiKey,
  SESSION_COOKIE,
  type DomainContext,
  type OidcVerifier,
  type Viewer,
} from '@hro/api/domain';
import { formToken, validForm } from '../http/csrf.js';
import { cookieOf } from '../http/request-context.js';
import { errorPage } from './errors.js';
import { href } from './html.js';
import {
  ADMIN_KEYS_PATH,
  adminKeysPage,
  adminNotices,
  newKeyPage,
  OWN_KEY_PATH,
  ownKeyPage,
  ownKeyRevokedPage,
  requestFormPage,
  requestStatusPage,
  staleFormPage,
  statusPath,
  type FormValues,
} from './developer-keys.js';

export interface DeveloperKeyPagesOptions {
  contextOf: (request: FastifyRequest) => Promise<DomainContext>;
  pool: Pool;
  oidc?: OidcVerifier;
  baseUrl?: string;
}

/**
 * Submitting the request form: at most this many POSTs per client IP and window (valid or not),
 * on top of the limit of open requests per e-mail address. Counted per process, as all limits.
 */
export const KEY_REQUEST_LIMIT = { max: 10, timeWindow: 60 * 60 * 1000 };

type Form = Record<string, string | undefined> | undefined;

/**
 * The self-service key pages (issue 10): `/entwickler/schluessel` (request form), its status page
 * and the one-time collection, `/entwickler/schluessel/mein` (the signed-in key holder's own key),
 * and `/verwaltung/schluessel` (admins). Registered inside the pages' scope, which parses form
 * bodies and renders errors as pages. Every answer is `private, no-store`: they carry tokens, keys
 * or personal data. The status page's address holds its token: the app's `Referrer-Policy:
 * same-origin` keeps it from other sites, and the pages load nothing from elsewhere (CSP).
 */
export function registerDeveloperKeyPages(scope: FastifyInstance, options: DeveloperKeyPagesOptions): void {
  const baseOf = (request: FastifyRequest) => (options.baseUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  const send = (reply: FastifyReply, body: string, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('vary', 'Cookie, Authorization')
      .send(body);
  const stale = (reply: FastifyReply, viewer: Viewer, back: string) => send(reply, staleFormPage(viewer, back), 403);
  /** anonymous → sign-in (303), signed in without the role → 403 page */
  const guard = (ctx: DomainContext, reply: FastifyReply, allowed: boolean, back: string): boolean => {
    if (allowed) return true;
    if (ctx.viewer.role === 'anonymous') void reply.redirect(href('/anmelden', { next: back }), 303);
    else void send(reply, errorPage(403, ctx.viewer), 403);
    return false;
  };
  const conflictReason = (e: unknown) =>
    e instanceof AppError && e.code === 'CONFLICT' ? String((e.details as { reason?: string } | undefined)?.reason ?? '') : undefined;

  // ───────────── request a key ─────────────

  scope.get('/entwickler/schluessel', async (request, reply) => {
    const ctx = await options.contextOf(request);
    return send(
      reply,
      requestFormPage(ctx.viewer, { csrf: formToken(request, reply), signedInWithKey: keyIdOf(ctx.viewer) !== undefined }),
    );
  });

  scope.post<{ Body: Form }>(
    '/entwickler/schluessel',
    { config: { rateLimit: { ...KEY_REQUEST_LIMIT, keyGenerator: (request: FastifyRequest) => `key-request:${request.ip}` } } },
    async (request, reply) => {
      const ctx = await options.contextOf(request);
      const body = request.body ?? {};
      if (!validForm(request, body.csrf)) return stale(reply, ctx.viewer, '/entwickler/schluessel');
      const values: FormValues = {
        name: body.name ?? '',
        email: body.email ?? '',
        purpose: body.purpose ?? '',
        acceptTerms: body.acceptTerms === 'ja',
      };
      try {
        const { id, token } = await requestApiKey(ctx, values);
        return await reply.redirect(statusPath(id, token), 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const page = requestFormPage(ctx.viewer, {
          csrf: formToken(request, reply),
          values,
          errors: e.fieldErrors,
          signedInWithKey: keyIdOf(ctx.viewer) !== undefined,
        });
        return send(reply, page, 400);
      }
    },
  );

  // ───────────── the request's status, collecting the key ─────────────

  const statusPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: DomainContext,
    id: string,
    token: string,
    notice?: string,
  ) => {
    const status = await apiKeyRequestStatus(ctx, id, token);
    const page = requestStatusPage(ctx.viewer, status, {
      token,
      csrf: formToken(request, reply),
      statusUrl: `${baseOf(request)}${statusPath(id, token)}`,
      notice,
    });
    return { page, status };
  };

  scope.get<{ Params: { id: string }; Querystring: { token?: string } }>('/entwickler/schluessel/:id', async (request, reply) => {
    const ctx = await options.contextOf(request);
    // a wrong token and an unknown request look the same: 404
    const { page } = await statusPage(request, reply, ctx, request.params.id, String(request.query.token ?? ''));
    return send(reply, page);
  });

  scope.post<{ Params: { id: string }; Body: Form }>('/entwickler/schluessel/:id/abholen', async (request, reply) => {
    const ctx = await options.contextOf(request);
    const token = String(request.body?.token ?? '');
    if (!validForm(request, request.body?.csrf)) return stale(reply, ctx.viewer, statusPath(request.params.id, token));
    try {
      const { key } = await collectApiKey(ctx, request.params.id, token);
      return send(
        reply,
        newKeyPage(ctx.viewer, {
          key,
          heading: 'Ihr API-Schlüssel',
          intro: 'Ihr Antrag ist freigegeben. Das ist Ihr Schlüssel mit der Rolle „Entwicklung“.',
          baseUrl: baseOf(request),
        }),
      );
    } catch (e) {
      const reason = conflictReason(e);
      if (reason === undefined) throw e;
      const notice =
        reason === 'collected'
          ? 'Der Schlüssel wurde bereits abgeholt. Er wird nur einmal angezeigt.'
          : reason === 'pending'
            ? 'Der Antrag ist noch nicht entschieden.'
            : 'Der Schlüssel kann nicht angezeigt werden.';
      const { page } = await statusPage(request, reply, ctx, request.params.id, token, notice);
      return send(reply, page, 409);
    }
  });

  // ───────────── the key holder's own key ─────────────

  scope.get(OWN_KEY_PATH, async (request, reply) => {
    const ctx = await options.contextOf(request);
    if (!guard(ctx, reply, can(ctx.viewer, 'apikey.own'), OWN_KEY_PATH)) return reply;
    const own = keyIdOf(ctx.viewer) === undefined ? undefined : await ownApiKey(ctx);
    return send(reply, ownKeyPage(ctx.viewer, { apiKey: own?.apiKey, usage: own?.usage, csrf: formToken(request, reply) }));
  });

  scope.post<{ Body: Form }>(`${OWN_KEY_PATH}/rotieren`, async (request, reply) => {
    const ctx = await options.contextOf(request);
    if (!guard(ctx, reply, can(ctx.viewer, 'apikey.own'), OWN_KEY_PATH)) return reply;
    if (!validForm(request, request.body?.csrf)) return stale(reply, ctx.viewer, OWN_KEY_PATH);
    const { key, apiKey } = await rotateOwnApiKey(ctx);
    // the session was signed with the old secret's hash and ends with it: a new one for the new key
    if (request.headers.authorization === undefined && cookieOf(request, SESSION_COOKIE)) {
      const session = await createSession(options.pool, key, options.oidc);
      const secure = request.protocol === 'https' || (options.baseUrl?.startsWith('https:') ?? false);
      void reply.header(
        'set-cookie',
        `${SESSION_COOKIE}=${session.value}; Path=/; Max-Age=${session.maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
      );
    }
    return send(
      reply,
      newKeyPage(ctx.viewer, {
        key,
        apiKey,
        heading: 'Ihr neuer Schlüssel',
        intro: 'Der Schlüssel ist rotiert: Der bisherige wird ab sofort abgelehnt. Tauschen Sie ihn in Ihrer Anwendung aus.',
        baseUrl: baseOf(request),
      }),
    );
  });

  scope.post<{ Body: Form }>(`${OWN_KEY_PATH}/sperren`, async (request, reply) => {
    const ctx = await options.contextOf(request);
    if (!guard(ctx, reply, can(ctx.viewer, 'apikey.own'), OWN_KEY_PATH)) return reply;
    if (!validForm(request, request.body?.csrf)) return stale(reply, ctx.viewer, OWN_KEY_PATH);
    await revokeOwnApiKey(ctx);
    void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
    return send(reply, ownKeyRevokedPage({ role: 'anonymous' }));
  });

  // ───────────── admins ─────────────

  const adminPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: DomainContext,
    extra: { notice?: string; error?: { requestId: string; message: string } } = {},
  ) =>
    adminKeysPage(ctx.viewer, {
      keys: await listApiKeys(ctx),
      requests: await listApiKeyRequests(ctx),
      csrf: formToken(request, reply),
      ...extra,
    });

  scope.get<{ Querystring: { meldung?: string } }>(ADMIN_KEYS_PATH, async (request, reply) => {
    const ctx = await options.contextOf(request);
    if (!guard(ctx, reply, can(ctx.viewer, 'apikey.manage'), ADMIN_KEYS_PATH)) return reply;
    const notice = typeof request.query.meldung === 'string' ? adminNotices[request.query.meldung] : undefined;
    return send(reply, await adminPage(request, reply, ctx, { notice }));
  });

  /** An admin form's POST: role, origin and token checked, then the action. */
  type Act = (ctx: DomainContext, params: { id: string }, body: Form, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  const adminAction = (path: string, act: Act) =>
    scope.post<{ Params: { id: string }; Body: Form }>(path, async (request, reply) => {
      const ctx = await options.contextOf(request);
      if (!guard(ctx, reply, can(ctx.viewer, 'apikey.manage'), ADMIN_KEYS_PATH)) return reply;
      if (!validForm(request, request.body?.csrf)) return stale(reply, ctx.viewer, ADMIN_KEYS_PATH);
      try {
        return await act(ctx, request.params, request.body, request, reply);
      } catch (e) {
        // decided meanwhile (another admin, a second tab), or a key that is no longer active: say so on the page
        if (!(e instanceof AppError) || e.code !== 'CONFLICT') throw e;
        return send(reply, await adminPage(request, reply, ctx, { notice: adminNotices.veraltet }), 409);
      }
    });
  const done = (reply: FastifyReply, notice: keyof typeof adminNotices) => reply.redirect(href(ADMIN_KEYS_PATH, { meldung: notice }), 303);
  const keyId = (raw: string) => (/^\d{1,9}$/.test(raw) ? Number(raw) : -1);

  adminAction(`${ADMIN_KEYS_PATH}/antraege/:id/freigeben`, async (ctx, params, _body, _request, reply) => {
    await approveApiKeyRequest(ctx, params.id);
    return done(reply, 'freigegeben');
  });

  adminAction(`${ADMIN_KEYS_PATH}/antraege/:id/ablehnen`, async (ctx, params, body, request, reply) => {
    try {
      await rejectApiKeyRequest(ctx, params.id, String(body?.reason ?? ''));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const message = e.fieldErrors.reason?.join(' ') ?? e.message;
      return send(reply, await adminPage(request, reply, ctx, { error: { requestId: params.id, message } }), 400);
    }
    return done(reply, 'abgelehnt');
  });

  adminAction(`${ADMIN_KEYS_PATH}/:id/rotieren`, async (ctx, params, _body, request, reply) => {
    const { key, apiKey } = await rotateApiKey(ctx, keyId(params.id));
    return send(
      reply,
      newKeyPage(ctx.viewer, {
        key,
        apiKey,
        heading: `Schlüssel ${apiKey.id} rotiert`,
        intro: `„${apiKey.name}“ hat einen neuen geheimen Teil; der bisherige wird ab sofort abgelehnt. Geben Sie den neuen Schlüssel sicher an seine Inhaber weiter.`,
        baseUrl: baseOf(request),
        admin: true,
      }),
    );
  });

  adminAction(`${ADMIN_KEYS_PATH}/:id/sperren`, async (ctx, params, _body, _request, reply) => {
    await revokeApiKey(ctx, keyId(params.id));
    return done(reply, 'gesperrt');
  });
}
