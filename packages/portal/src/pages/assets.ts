import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/**
 * The pages' static files, served by the platform itself (no CDN: the city's intranet is often
 * offline): our stylesheet and scripts from packages/portal/static, and Leaflet's dist files from
 * the installed package. All are read once at start; the list is closed, so no request path ever
 * reaches the file system.
 */
const staticDir = fileURLToPath(new URL('../../static/', import.meta.url));
const leafletDir = dirname(createRequire(import.meta.url).resolve('leaflet/dist/leaflet.js'));

const types: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
};

interface Asset {
  body: Buffer;
  type: string;
}

function collect(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (url: string, file: string) => {
    const type = types[file.split('.').pop() ?? ''];
    if (type) assets.set(url, { body: readFileSync(file), type });
  };
  for (const name of readdirSync(staticDir)) add(`/static/${name}`, join(staticDir, name));
  add('/static/leaflet/leaflet.js', join(leafletDir, 'leaflet.js'));
  add('/static/leaflet/leaflet.css', join(leafletDir, 'leaflet.css'));
  for (const name of readdirSync(join(leafletDir, 'images'))) add(`/static/leaflet/images/${name}`, join(leafletDir, 'images', name));
  return assets;
}

/** Registers GET routes for every static file; returns their sizes (for the JavaScript budget). */
export function registerAssets(app: FastifyInstance): Map<string, number> {
  const assets = collect();
  for (const [url, asset] of assets) {
    app.get(url, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(asset.body),
    );
  }
  return new Map([...assets].map(([url, a]) => [url, a.body.length]));
}

/**
 * The Content-Security-Policy of every HTML answer: scripts, styles, images and fetches from this
 * origin only — no `unsafe-inline`, no nonces, no `eval` — plus the configured map tiles' origin
 * for images. Forms post only here; no one may frame the pages.
 */
export function contentSecurityPolicy(tileUrl?: string): string {
  let tiles = '';
  if (tileUrl) {
    // a template such as https://tiles.example.org/{z}/{x}/{y}.png (also {s} subdomains)
    const origin = /^(https?:\/\/[^/]+)/i.exec(tileUrl)?.[1]?.replace('{s}', '*');
    if (origin) tiles = ` ${origin}`;
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${tiles}`,
    "connect-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
