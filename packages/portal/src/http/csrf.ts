import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '@hro/api/domain';
import { cookieOf } from './request-context.js';

/**
 * Cross-site request forgery protection for the portal's state-changing forms (the developer keys'
 * pages). Three layers, each enough on its own in current browsers:
 * - the session cookie is SameSite=Strict, so a cross-site POST arrives signed out;
 * - a POST whose Origin names another host, or that the browser marks `Sec-Fetch-Site: cross-site`,
 *   is refused (as /anmelden does);
 * - every form carries a token the other site cannot know. Signed in, it is derived from the
 *   credential (the HttpOnly session cookie, or the Authorization header): SHA-256 over it, so it
 *   needs no server-side store and ends with the session. Signed out, it is a random value also
 *   set as an HttpOnly SameSite=Strict cookie (double submit).
 */
export const FORM_COOKIE = 'hro_form';
const derive = (credential: string) => createHash('sha256').update(`hro-csrf|${credential}`).digest('base64url');

function credentialOf(request: FastifyRequest): string | undefined {
  return request.headers.authorization ?? cookieOf(request, SESSION_COOKIE);
}

/** The token to put into a form rendered for this request (sets the form cookie when signed out and it has none). */
export function formToken(request: FastifyRequest, reply: FastifyReply): string {
  const credential = credentialOf(request);
  if (credential) return derive(credential);
  const existing = cookieOf(request, FORM_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  const secure = request.protocol === 'https';
  void reply.header('set-cookie', `${FORM_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
  return token;
}

/** Whether a form POST comes from our own page: same origin, and the form's token matches. */
export function validForm(request: FastifyRequest, sent: unknown): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    try {
      if (new URL(origin).host !== request.host) return false;
    } catch {
      return false;
    }
  }
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  if (typeof sent !== 'string' || sent === '') return false;
  const credential = credentialOf(request);
  const expected = credential ? derive(credential) : cookieOf(request, FORM_COOKIE);
  if (!expected) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
