import type { Logger } from '@hro/api';
import { findFeatureType, parseCapabilities } from './capabilities.js';
import type { WfsConfig } from './config.js';
import { decodeText, readAllText } from './decode.js';
import { GeoSourceError, HttpError } from './errors.js';
import { backoff, httpGet, type HttpContext } from './http.js';
import { parseDescribeFeatureType, type PropertyTypes } from './property-types.js';
import { emptyInfo, readBody, type BodyFeature, type ReadBodyOptions } from './read-body.js';

/** A feature with the position a person can find it by, and the CRS the request implies. */
export interface LocatedFeature extends BodyFeature {
  position: string;
  /** CRS that applies when the data names none (GeoJSON `crs` member, requested srsName, DefaultCRS) */
  fallbackSrs: string | undefined;
}

export interface WfsContext {
  http: HttpContext;
  log: Logger;
  addBytes(n: number): void;
  body: Omit<ReadBodyOptions, 'propertyTypes'>;
  propertyTypes: PropertyTypes;
}

const isJsonFormat = (f: string) => /json/i.test(f);

/** The GetFeature output format: the configured one, else GML 3.2 (WFS 2.0) / GML 3.1.1 (WFS 1.1). */
export function outputFormatOf(cfg: WfsConfig): string {
  return cfg.outputFormat ?? (cfg.version === '2.0.0' ? 'application/gml+xml; version=3.2' : 'text/xml; subtype=gml/3.1.1');
}

function request(cfg: WfsConfig, params: Record<string, string>): string {
  const u = new URL(cfg.url);
  const set = (k: string, v: string) => {
    // a parameter given in the URL in another case (service=wfs) is replaced, not doubled
    for (const existing of [...u.searchParams.keys()]) if (existing.toUpperCase() === k) u.searchParams.delete(existing);
    u.searchParams.set(k, v);
  };
  set('SERVICE', 'WFS');
  for (const [k, v] of Object.entries(params)) set(k, v);
  return u.toString();
}

/** GetFeature URL of one page (WFS 2.0: STARTINDEX/COUNT; WFS 1.1: MAXFEATURES, no paging). */
export function getFeatureUrl(cfg: WfsConfig, startIndex: number, count: number): string {
  const typeKey = cfg.version === '2.0.0' ? 'TYPENAMES' : 'TYPENAME';
  const params: Record<string, string> = { VERSION: cfg.version, REQUEST: 'GetFeature', [typeKey]: cfg.typeName };
  if (cfg.version === '2.0.0') {
    params.COUNT = String(count);
    params.STARTINDEX = String(startIndex);
  } else if (cfg.maxFeatures) {
    params.MAXFEATURES = String(cfg.maxFeatures);
  }
  params.OUTPUTFORMAT = outputFormatOf(cfg);
  if (cfg.srsName) params.SRSNAME = cfg.srsName;
  if (cfg.sortBy) params.SORTBY = cfg.sortBy;
  for (const [k, v] of Object.entries(cfg.params)) params[k.toUpperCase()] = v;
  return request(cfg, params);
}

/** The layer's GetFeature URL without paging parameters (what core.geo_layer.source_url records). */
export function layerUrl(cfg: WfsConfig): string {
  const typeKey = cfg.version === '2.0.0' ? 'TYPENAMES' : 'TYPENAME';
  return request(cfg, { VERSION: cfg.version, REQUEST: 'GetFeature', [typeKey]: cfg.typeName, OUTPUTFORMAT: outputFormatOf(cfg) });
}

async function getText(url: string, ctx: WfsContext, label: string): Promise<string> {
  const res = await httpGet(url, ctx.http);
  return readAllText(
    decodeText(res.body, label, (n) => ctx.addBytes(n)),
    20e6,
    label,
  );
}

/**
 * Reads a WFS layer page by page:
 * - GetCapabilities first: the type must be offered; the page size is capped by CountDefault;
 *   the DefaultCRS applies to GML without srsName.
 * - DescribeFeatureType (GML output) gives the property types; configured types win.
 * - Pages: a `next` link is followed when given; else STARTINDEX advances by what arrived, and
 *   reading stops when numberMatched is reached, at an empty page, or at a short page — a page
 *   shorter than the largest page seen so far (so a server that silently caps COUNT at 1000,
 *   like Essen's ArcGIS, is paged to its end rather than stopped after the first page).
 * - A page whose connection breaks mid-way is resumed at the next unread feature (WFS 2.0);
 *   5xx/429/timeouts are retried with back-off. A server that ignores STARTINDEX is detected.
 */
export async function* wfsFeatures(cfg: WfsConfig, ctx: WfsContext): AsyncGenerator<LocatedFeature> {
  const outputFormat = outputFormatOf(cfg);
  const json = isJsonFormat(outputFormat);
  let pageSize = cfg.pageSize;
  let defaultCrs: string | undefined;
  if (cfg.capabilities) {
    const params: Record<string, string> =
      cfg.version === '2.0.0'
        ? { REQUEST: 'GetCapabilities', ACCEPTVERSIONS: '2.0.0' }
        : { REQUEST: 'GetCapabilities', VERSION: cfg.version };
    const caps = parseCapabilities(await getText(request(cfg, params), ctx, 'GetCapabilities'), 'GetCapabilities');
    const type = findFeatureType(caps, cfg.typeName);
    if (!type) {
      throw new GeoSourceError(
        `WFS bietet den Feature-Typ ${cfg.typeName} nicht an (angeboten: ${caps.featureTypes.map((t) => t.name).join(', ') || 'keiner'})`,
        'WFS_UNKNOWN_TYPE',
      );
    }
    defaultCrs = type.defaultCrs;
    if (caps.countDefault !== undefined && caps.countDefault < pageSize) {
      ctx.log.info({ countDefault: caps.countDefault }, 'geo: Seitengröße auf CountDefault des Servers begrenzt');
      pageSize = caps.countDefault;
    }
    const offered = [...caps.outputFormats, ...type.outputFormats];
    if (offered.length > 0 && !offered.some((f) => f.replace(/\s/g, '') === outputFormat.replace(/\s/g, ''))) {
      ctx.log.warn({ outputFormat, offered }, 'geo: outputFormat steht nicht in den Capabilities; wird trotzdem angefragt');
    }
  }
  let propertyTypes = ctx.propertyTypes;
  if (cfg.describeFeatureType && !json) {
    const typeKey = cfg.version === '2.0.0' ? 'TYPENAMES' : 'TYPENAME';
    try {
      const xsd = await getText(
        request(cfg, { VERSION: cfg.version, REQUEST: 'DescribeFeatureType', [typeKey]: cfg.typeName }),
        ctx,
        'DescribeFeatureType',
      );
      propertyTypes = { ...parseDescribeFeatureType(xsd), ...ctx.propertyTypes };
    } catch (e) {
      if (ctx.http.signal.aborted) throw e;
      ctx.log.warn({ err: (e as Error).message }, 'geo: DescribeFeatureType nicht lesbar; Attribute bleiben Text');
    }
  }
  // GeoJSON without crs member is lon/lat whatever the DefaultCRS (the Rostock WFS); GML names its srsName
  const fallbackSrs = cfg.srsName ?? (json ? undefined : defaultCrs);
  const body: ReadBodyOptions = { ...ctx.body, propertyTypes };

  let fetched = 0;
  let largest = 0;
  let nextUrl: string | undefined;
  let previousFirstId: string | undefined;
  for (let page = 1; ; page++) {
    if (page > cfg.maxPages) throw new GeoSourceError(`mehr als ${cfg.maxPages} Seiten (maxPages) – Abbruch`, 'WFS_TOO_MANY_PAGES');
    const label = `page ${page}`;
    let got = 0;
    let firstId: string | undefined;
    let info = emptyInfo();
    for (let attempt = 1; ; attempt++) {
      const url = got === 0 && nextUrl ? nextUrl : getFeatureUrl(cfg, fetched + got, pageSize - got);
      info = emptyInfo();
      try {
        const res = await httpGet(url, ctx.http);
        for await (const item of readBody(
          decodeText(res.body, label, (n) => ctx.addBytes(n)),
          label,
          body,
          info,
        )) {
          got++;
          if (got === 1) firstId = item.feature.id;
          const id = item.feature.id ? ` (${item.feature.id})` : '';
          yield { ...item, index: got, position: `${label} #${got}${id}`, fallbackSrs: info.collectionCrs ?? fallbackSrs };
        }
        break;
      } catch (e) {
        const resumable = got === 0 || cfg.version === '2.0.0';
        if (!(e instanceof HttpError) || !e.retryable || !resumable || attempt > ctx.http.retries) throw e;
        ctx.log.warn({ page, got }, 'geo: Seite abgebrochen; wird ab dem nächsten ungelesenen Feature neu angefragt');
        await backoff(ctx.http, attempt, e);
      }
    }
    fetched += got;
    if (cfg.version !== '2.0.0') {
      if (cfg.maxFeatures !== undefined && got >= cfg.maxFeatures) {
        throw new GeoSourceError(
          `WFS 1.1 liefert ${got} Features = maxFeatures: das Ergebnis ist vermutlich abgeschnitten (1.1 kennt kein Paging; maxFeatures erhöhen oder WFS 2.0 nutzen)`,
          'WFS_TRUNCATED',
        );
      }
      return;
    }
    if (got > 0 && firstId !== undefined && firstId === previousFirstId) {
      throw new GeoSourceError(`${label} beginnt wie die vorige Seite (${firstId}): der Server ignoriert STARTINDEX`, 'WFS_PAGING');
    }
    previousFirstId = firstId;
    if (got === 0) return;
    largest = Math.max(largest, got);
    if (info.next) {
      nextUrl = info.next;
      continue;
    }
    nextUrl = undefined;
    if (typeof info.numberMatched === 'number' && fetched >= info.numberMatched) return;
    if (got < Math.min(pageSize, largest)) return;
  }
}
