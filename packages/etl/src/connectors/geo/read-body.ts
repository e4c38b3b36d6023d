import type { Logger } from '@hro/api';
import type { CoordinateEncoding } from './crs.js';
import { readAllText } from './decode.js';
import { GeoSourceError } from './errors.js';
import { geoJsonFeature, parseGeoJsonDocument, parseGeoJsonSeq, type NestedGeometries } from './geojson.js';
import { parseGmlFeature } from './gml-feature.js';
import { GmlMemberSplitter, type MemberEvent } from './gml-members.js';
import type { PropertyTypes } from './property-types.js';
import type { SourceFeature } from './source-feature.js';

export type BodyFormat = 'auto' | 'gml' | 'geojson' | 'geojsonseq';

/** One feature of a response body or file. */
export interface BodyFeature {
  feature: SourceFeature;
  /** 1-based index within the body (GeoJSONSeq: the line) */
  index: number;
  encoding: CoordinateEncoding;
}

/** What the body said about itself; filled while it is read. */
export interface BodyInfo {
  format: 'gml' | 'geojson' | 'geojsonseq' | undefined;
  count: number;
  numberMatched: number | 'unknown' | undefined;
  numberReturned: number | undefined;
  next: string | undefined;
  /** GeoJSON `crs` member of the collection */
  collectionCrs: string | undefined;
}

export interface ReadBodyOptions {
  format: BodyFormat;
  propertyTypes: PropertyTypes;
  nestedGeometries: NestedGeometries;
  maxGeoJsonBytes: number;
  log: Logger;
  /** a file name ending in .geojsonl/.geojsons/.ndjson/.jsonl selects GeoJSONSeq under `auto` */
  fileName?: string;
}

export const emptyInfo = (): BodyInfo => ({
  format: undefined,
  count: 0,
  numberMatched: undefined,
  numberReturned: undefined,
  next: undefined,
  collectionCrs: undefined,
});

/** Puts back text already taken from an iterator in front of the rest. */
async function* prepend(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  if (head) yield head;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

/**
 * Reads one response body or file — GML (3.1/3.2, streamed member by member), GeoJSON (whole
 * document, size-limited) or GeoJSONSeq (streamed line by line) — and yields its features. The
 * format is sniffed from the first character unless configured. `info` is filled as it goes.
 */
export async function* readBody(
  text: AsyncIterable<string>,
  label: string,
  options: ReadBodyOptions,
  info: BodyInfo,
): AsyncGenerator<BodyFeature> {
  const it = text[Symbol.asyncIterator]();
  let head = '';
  let first = '';
  while (!first) {
    const r = await it.next();
    if (r.done) break;
    head += r.value;
    first = head.replace(/^[\s\uFEFF]+/, '').charAt(0);
  }
  head = head.replace(/^\uFEFF/, '');
  const seqByName = /\.(geojsonl|geojsons|ndjson|jsonl)$/i.test(options.fileName ?? '');
  const format =
    options.format !== 'auto'
      ? options.format
      : first === '<'
        ? 'gml'
        : first === '\u001e' || (first === '{' && seqByName)
          ? 'geojsonseq'
          : first === '{' || first === '['
            ? 'geojson'
            : undefined;
  if (!format) {
    if (!first) throw new GeoSourceError(`${label}: leere Datei/Antwort (0 Bytes)`, 'GEO_EMPTY');
    throw new GeoSourceError(`${label}: weder GML noch GeoJSON: beginnt mit ${JSON.stringify(head.trim().slice(0, 60))}`);
  }
  info.format = format;
  const body = prepend(head, it);

  if (format === 'gml') {
    const splitter = new GmlMemberSplitter(label);
    let encoding: CoordinateEncoding = 'gml31';
    const events: MemberEvent[] = [];
    for await (const chunk of body) {
      splitter.push(chunk, events);
      for (const ev of events) {
        if (ev.kind === 'collection') {
          encoding = ev.info.encoding;
          info.numberMatched = ev.info.numberMatched;
          info.numberReturned = ev.info.numberReturned;
          info.next = ev.info.next;
          continue;
        }
        info.count++;
        yield { feature: parseGmlFeature(ev.xml, options.propertyTypes), index: ev.index, encoding };
      }
      events.length = 0;
    }
    splitter.end();
  } else if (format === 'geojson') {
    const doc = parseGeoJsonDocument(await readAllText(body, options.maxGeoJsonBytes, label), label);
    Object.assign(info, {
      numberMatched: doc.info.numberMatched,
      numberReturned: doc.info.numberReturned,
      next: doc.info.next,
      collectionCrs: doc.info.crsName,
    });
    let index = 0;
    for (const f of doc.features) {
      info.count++;
      yield { feature: geoJsonFeature(f, doc.info.crsName, options.nestedGeometries), index: ++index, encoding: 'geojson' };
    }
  } else {
    for await (const { feature, line } of parseGeoJsonSeq(body, label)) {
      info.count++;
      yield { feature: geoJsonFeature(feature, undefined, options.nestedGeometries), index: line, encoding: 'geojson' };
    }
  }
  if (info.numberReturned !== undefined && info.numberReturned !== info.count) {
    options.log.warn(
      { label, numberReturned: info.numberReturned, features: info.count },
      'geo: numberReturned weicht von der Zahl der gelieferten Features ab; es zählen die gelieferten',
    );
  }
}
