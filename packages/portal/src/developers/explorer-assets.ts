import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The GraphQL explorer's third-party files — GraphiQL's UMD bundle and stylesheet, React and
 * ReactDOM — served from the installed packages by the platform itself (no CDN: the city's
 * intranet is often offline, and the pages' CSP allows only this origin). The URLs carry the
 * package versions, so the files can be cached for a year: an upgrade changes the URL.
 */
const require = createRequire(import.meta.url);

function packageDir(name: string): { dir: string; version: string } {
  const manifest = require.resolve(`${name}/package.json`);
  return { dir: dirname(manifest), version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version };
}

interface VendorFile {
  body: Buffer;
  type: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Drops the source-map comment: the maps are not served, and a browser's devtools would ask for them. */
const withoutSourceMap = (text: string) => text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');

/**
 * GraphiQL's stylesheet embeds its fonts as `data:` URLs, which the pages' `font-src 'self'` refuses.
 * They are lifted out into files of their own (named by their content hash) and the stylesheet
 * points at those, so the CSP stays as strict as on every other page.
 */
function liftFonts(css: string, base: string, files: Map<string, VendorFile>): string {
  return css.replace(/url\((["']?)data:font\/(woff2?);base64,([A-Za-z0-9+/=]+)\1\)/g, (_match, _quote, format: string, data: string) => {
    const body = Buffer.from(data, 'base64');
    const url = `${base}/fonts/${createHash('sha256').update(body).digest('hex').slice(0, 16)}.${format}`;
    files.set(url, { body, type: `font/${format}` });
    return `url(${url})`;
  });
}

export interface ExplorerAssets {
  /** the URLs of the page's scripts in load order (React, ReactDOM, GraphiQL, our init script) */
  scripts: string[];
  styles: string[];
  files: Map<string, VendorFile>;
}

function collect(): ExplorerAssets {
  const files = new Map<string, VendorFile>();
  const graphiql = packageDir('graphiql');
  const react = packageDir('react');
  const reactDom = packageDir('react-dom');
  const gBase = `/static/vendor/graphiql/${graphiql.version}`;
  const add = (url: string, file: string, type: string) =>
    files.set(url, { body: Buffer.from(withoutSourceMap(readFileSync(file, 'utf8'))), type });

  const reactUrl = `/static/vendor/react/${react.version}/react.production.min.js`;
  const reactDomUrl = `/static/vendor/react-dom/${reactDom.version}/react-dom.production.min.js`;
  add(reactUrl, join(react.dir, 'umd', 'react.production.min.js'), JS);
  add(reactDomUrl, join(reactDom.dir, 'umd', 'react-dom.production.min.js'), JS);
  add(`${gBase}/graphiql.min.js`, join(graphiql.dir, 'graphiql.min.js'), JS);
  const css = liftFonts(readFileSync(join(graphiql.dir, 'graphiql.min.css'), 'utf8'), gBase, files);
  files.set(`${gBase}/graphiql.min.css`, { body: Buffer.from(withoutSourceMap(css)), type: CSS });
  return {
    // our init script lies in packages/portal/static and is served with the other static files
    scripts: [reactUrl, reactDomUrl, `${gBase}/graphiql.min.js`, '/static/graphiql-init.js'],
    styles: [`${gBase}/graphiql.min.css`, '/static/graphiql-page.css'],
    files,
  };
}

/** Registers the vendor files (immutable, versioned URLs); returns the page's script and style URLs. */
export function registerExplorerAssets(app: FastifyInstance): ExplorerAssets {
  const assets = collect();
  for (const [url, file] of assets.files) {
    app.get(url, async (_request, reply) =>
      reply
        .type(file.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(file.body),
    );
  }
  return assets;
}
