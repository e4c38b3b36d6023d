import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ExtractContext, RawRecord } from '../connector.js';
import type { GeoConfig } from './config.js';
import { decodeText } from './decode.js';
import { GeoSourceError, HttpError } from './errors.js';
import { FeatureRecords } from './feature-record.js';
import { backoff, httpGet, type HttpContext } from './http.js';
import { emptyInfo, readBody, type BodyFeature, type BodyInfo, type ReadBodyOptions } from './read-body.js';
import { layerUrl, wfsFeatures, type LocatedFeature } from './wfs.js';

async function* fileBytes(path: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GeoSourceError(`${path}: Datei nicht gefunden`, 'GEO_FILE_MISSING');
    throw e;
  }
}

/** The files of `recorded`: a file, a list of files, or a folder (its files in name order). */
async function recordedFiles(recorded: string | string[], baseDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of Array.isArray(recorded) ? recorded : [recorded]) {
    const path = resolve(baseDir, entry);
    const s = await stat(path).catch(() => {
      throw new GeoSourceError(`${path}: aufgezeichnete Antwort nicht gefunden`, 'GEO_FILE_MISSING');
    });
    if (s.isDirectory()) {
      const names = (await readdir(path)).filter((n) => !n.startsWith('.') && !/\.(md|txt)$/i.test(n)).sort();
      out.push(...names.map((n) => join(path, n)));
    } else {
      out.push(path);
    }
  }
  if (out.length === 0) throw new GeoSourceError(`recorded: keine Dateien in ${String(recorded)}`, 'GEO_FILE_MISSING');
  return out;
}

/** The features of the configured source: a file, a download, a WFS, or recorded WFS responses. */
async function* sourceFeatures(config: GeoConfig, ctx: ExtractContext, body: ReadBodyOptions): AsyncGenerator<LocatedFeature> {
  const http: HttpContext = { ...config.http, signal: ctx.signal, log: ctx.log };
  if (config.wfs && config.recorded !== undefined) {
    // sample mode: each file is one recorded GetFeature response, read exactly like a live page
    const files = await recordedFiles(config.recorded, ctx.baseDir);
    for (const [i, file] of files.entries()) {
      const label = `page ${i + 1}`;
      const info = emptyInfo();
      for await (const item of readBody(
        decodeText(fileBytes(file), basename(file), (n) => ctx.addBytes(n)),
        `${basename(file)} (${label})`,
        body,
        info,
      )) {
        const id = item.feature.id ? ` (${item.feature.id})` : '';
        yield { ...item, position: `${label} #${item.index}${id}`, fallbackSrs: info.collectionCrs ?? config.wfs.srsName };
      }
    }
    return;
  }
  if (config.wfs) {
    yield* wfsFeatures(config.wfs, { http, log: ctx.log, addBytes: (n) => ctx.addBytes(n), body, propertyTypes: config.propertyTypes });
    return;
  }
  const fileName = config.file ? basename(config.file) : basename(new URL(config.url ?? 'http://x/').pathname);
  const withName = { ...body, fileName };
  const locate = (item: BodyFeature, info: BodyInfo) =>
    info.format === 'geojsonseq'
      ? `${fileName}:${item.index}`
      : `${fileName} #${item.index}${item.feature.id ? ` (${item.feature.id})` : ''}`;
  if (config.file) {
    const info = emptyInfo();
    const path = resolve(ctx.baseDir, config.file);
    for await (const item of readBody(
      decodeText(fileBytes(path), fileName, (n) => ctx.addBytes(n)),
      fileName,
      withName,
      info,
    )) {
      yield { ...item, position: locate(item, info), fallbackSrs: info.collectionCrs };
    }
    return;
  }
  // a download URL: retried while nothing was handed on (a GeoJSON document is read whole first)
  const url = config.url as string;
  for (let attempt = 1, yielded = 0; ; attempt++) {
    try {
      const res = await httpGet(url, http);
      const info = emptyInfo();
      for await (const item of readBody(
        decodeText(res.body, fileName, (n) => ctx.addBytes(n)),
        fileName,
        withName,
        info,
      )) {
        yielded++;
        yield { ...item, position: locate(item, info), fallbackSrs: info.collectionCrs };
      }
      return;
    } catch (e) {
      if (!(e instanceof HttpError) || !e.retryable || yielded > 0 || attempt > http.retries) throw e;
      await backoff(http, attempt, e);
    }
  }
}

/** Where the data comes from, for core.geo_layer.source_url. */
function sourceUrl(config: GeoConfig): string | null {
  if (config.wfs) return layerUrl(config.wfs);
  return config.url ?? (config.file ? basename(config.file) : null);
}

/**
 * The geo extract: features first (streamed, reprojected, positioned), then the layer record
 * (it names the CRS the data came in). A source without any feature fails unless allowEmpty.
 */
export async function* extractGeo(config: GeoConfig, ctx: ExtractContext): AsyncGenerator<RawRecord> {
  const records = new FeatureRecords(config, (message) => ctx.log.warn({ layer: config.layer }, `geo: ${message}`));
  const body: ReadBodyOptions = {
    format: config.format,
    propertyTypes: config.propertyTypes,
    nestedGeometries: config.nestedGeometries,
    maxGeoJsonBytes: config.maxGeoJsonMB * 1e6,
    log: ctx.log,
  };
  let count = 0;
  for await (const item of sourceFeatures(config, ctx, body)) {
    count++;
    yield { entity: 'feature', position: item.position, data: records.record(item) };
  }
  if (count === 0 && !config.allowEmpty) {
    throw new GeoSourceError(
      `Layer ${config.layer}: die Quelle liefert kein einziges Feature (allowEmpty: true erlaubt das)`,
      'GEO_EMPTY_LAYER',
    );
  }
  yield {
    entity: 'layer',
    position: `layer ${config.layer}`,
    data: {
      key: config.layer,
      title: config.title,
      source_crs: records.sourceCrs ?? config.crs ?? config.wfs?.srsName ?? null,
      source_url: sourceUrl(config),
      published: config.published,
      allow_empty: config.allowEmpty,
    },
  };
}
