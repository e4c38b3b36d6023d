import { GeoSourceError, TruncatedResponseError } from './errors.js';
import { parseExceptionReport } from './exception-report.js';

/** What the root element of a GetFeature response says about the page. */
export interface CollectionInfo {
  root: string;
  /** a number, `'unknown'` (WFS 2.0), or undefined when not given (WFS 1.1, deegree) */
  numberMatched: number | 'unknown' | undefined;
  numberReturned: number | undefined;
  /** WFS 2.0 `next` link */
  next: string | undefined;
  /** `gml32` (GML 3.2 namespace) or `gml31` (older GML namespace) */
  encoding: 'gml32' | 'gml31';
}

export type MemberEvent = { kind: 'collection'; info: CollectionInfo } | { kind: 'feature'; xml: string; index: number };

interface Frame {
  qname: string;
  role: 'root' | 'collection' | 'container';
}

/** An element whose end is looked for directly (its content is never tokenised): a feature, or skipped content. */
interface Pending {
  qname: string;
  start: number;
  searchFrom: number;
  feature: boolean;
}

const containers = new Set(['member', 'featureMember', 'featureMembers']);
const local = (qname: string) => qname.slice(qname.indexOf(':') + 1);
const attributePattern = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Index of the `>` closing the tag starting at `from`, skipping quoted attribute values; -1 if not yet in the buffer. */
function tagEnd(buf: string, from: number): number {
  let quote = 0;
  for (let k = from + 1; k < buf.length; k++) {
    const c = buf.charCodeAt(k);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62) {
      return k;
    }
  }
  return -1;
}

function unescape(v: string): string {
  return v.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '');
}

/**
 * Splits a WFS GetFeature response (GML 3.1.1 or 3.2, WFS 1.0/1.1/2.0) into its features as it
 * streams in, without building a tree of the whole document: only the collection's structural
 * tags (root, `wfs:member`, `gml:featureMember(s)`, nested collections) are tokenised; a feature's
 * content is skipped to its end tag with `indexOf` and handed out as one XML string, to be parsed
 * on its own. Memory holds one feature at a time, however large the response.
 *
 * Fails the run (throws) on: an empty body, a body that is not XML, an HTML page, an OWS
 * ExceptionReport / ServiceExceptionReport (its message is passed on), a `wfs:truncatedResponse`,
 * and a document that ends before its root element is closed (a cut connection).
 */
export class GmlMemberSplitter {
  private buf = '';
  private pos = 0;
  private readonly stack: Frame[] = [];
  private pending: Pending | null = null;
  private rootSeen = false;
  private rootClosed = false;
  private exceptionStart = -1;
  private index = 0;
  private encoding: 'gml32' | 'gml31' = 'gml31';

  /** @param label names the document in error messages (file name or `page 3`) */
  constructor(private readonly label: string) {}

  /** number of features handed out so far */
  get count(): number {
    return this.index;
  }

  /** Feeds the next piece of text; returns the events it completed. */
  push(chunk: string, out: MemberEvent[] = []): MemberEvent[] {
    const keep = this.pending ? this.pending.start : this.exceptionStart >= 0 ? this.exceptionStart : this.pos;
    if (keep > 1 << 16) {
      this.buf = this.buf.slice(keep);
      this.pos -= keep;
      if (this.pending) {
        this.pending.start -= keep;
        this.pending.searchFrom -= keep;
      }
      if (this.exceptionStart >= 0) this.exceptionStart -= keep;
    }
    this.buf += chunk;
    if (this.exceptionStart >= 0) return out;
    this.scan(out);
    return out;
  }

  /** The input ended: throws if the document is incomplete or was an exception report. */
  end(): void {
    if (this.exceptionStart >= 0) {
      const report = parseExceptionReport(this.buf.slice(this.exceptionStart));
      throw report;
    }
    if (!this.rootSeen) {
      const text = this.buf.trim();
      if (text.length === 0) throw new GeoSourceError(`${this.label}: leere Antwort (0 Bytes oder nur Leerraum) statt GML`, 'GEO_EMPTY');
      throw new GeoSourceError(`${this.label}: kein GML: beginnt mit ${JSON.stringify(text.slice(0, 60))}`);
    }
    if (!this.rootClosed) {
      const inside = this.pending ? `<${this.pending.qname}>` : `<${this.stack[this.stack.length - 1]?.qname ?? '?'}>`;
      throw new TruncatedResponseError(
        `${this.label}: GML bricht ab (abgeschnitten in ${inside} nach ${this.index} vollständigen Features) – Antwort unvollständig`,
      );
    }
  }

  private scan(out: MemberEvent[]): void {
    const buf = this.buf;
    for (;;) {
      if (this.pending) {
        const p = this.pending;
        const needle = `</${p.qname}`;
        const at = buf.indexOf(needle, p.searchFrom);
        if (at < 0) {
          p.searchFrom = Math.max(p.start, buf.length - needle.length);
          return;
        }
        const after = buf.charCodeAt(at + needle.length);
        if (Number.isNaN(after)) {
          p.searchFrom = at;
          return;
        }
        // `</app:geom` must not match `</app:geometry>`
        if (after !== 62 && after !== 32 && after !== 9 && after !== 10 && after !== 13) {
          p.searchFrom = at + 1;
          continue;
        }
        const close = buf.indexOf('>', at);
        if (close < 0) {
          p.searchFrom = at;
          return;
        }
        if (p.feature) out.push({ kind: 'feature', xml: buf.slice(p.start, close + 1), index: ++this.index });
        this.pos = close + 1;
        this.pending = null;
        continue;
      }
      const lt = buf.indexOf('<', this.pos);
      if (lt < 0) {
        this.checkText(this.pos, buf.length);
        this.pos = buf.length;
        return;
      }
      this.checkText(this.pos, lt);
      const c = buf.charCodeAt(lt + 1);
      if (Number.isNaN(c)) return;
      if (c === 63 /* ? */) {
        const e = buf.indexOf('?>', lt);
        if (e < 0) return;
        this.pos = e + 2;
      } else if (c === 33 /* ! */) {
        if (buf.length < lt + 9) return;
        const terminator = buf.startsWith('<!--', lt) ? '-->' : buf.startsWith('<![CDATA[', lt) ? ']]>' : '>';
        const e = buf.indexOf(terminator, lt + 2);
        if (e < 0) return;
        if (!this.rootSeen && /^<!doctype\s+html/i.test(buf.slice(lt, e))) {
          throw new GeoSourceError(`${this.label}: HTML-Seite statt GML (${this.htmlTitle()})`, 'GEO_HTML_RESPONSE');
        }
        this.pos = e + terminator.length;
      } else if (c === 47 /* / */) {
        const e = buf.indexOf('>', lt);
        if (e < 0) return;
        const qname = buf.slice(lt + 2, e).trim();
        const top = this.stack.pop();
        if (!top || top.qname !== qname) {
          throw new GeoSourceError(`${this.label}: GML nicht wohlgeformt: </${qname}> schließt <${top?.qname ?? '–'}>`);
        }
        if (top.role === 'root') this.rootClosed = true;
        this.pos = e + 1;
      } else {
        const e = tagEnd(buf, lt);
        if (e < 0) return;
        const selfClosing = buf.charCodeAt(e - 1) === 47;
        const body = buf.slice(lt + 1, selfClosing ? e - 1 : e);
        const m = /^[^\s/>]+/.exec(body);
        const qname = m ? m[0] : '';
        this.pos = e + 1;
        this.open(qname, body, selfClosing, lt, e + 1, out);
        if (this.exceptionStart >= 0) return;
      }
    }
  }

  /** Text outside any tag before the root means the body is not XML at all (JSON, plain text). */
  private checkText(from: number, to: number): void {
    if (this.rootSeen || from >= to) return;
    const text = this.buf.slice(from, to).trim();
    if (text.length > 0) {
      throw new GeoSourceError(`${this.label}: kein GML: beginnt mit ${JSON.stringify(text.slice(0, 60))}`);
    }
  }

  private open(qname: string, body: string, selfClosing: boolean, start: number, after: number, out: MemberEvent[]): void {
    const name = local(qname);
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      if (this.rootClosed) throw new GeoSourceError(`${this.label}: Inhalt nach dem Ende des Dokuments (<${qname}>)`);
      this.rootSeen = true;
      if (name === 'ExceptionReport' || name === 'ServiceExceptionReport') {
        this.exceptionStart = start;
        return;
      }
      if (name.toLowerCase() === 'html') {
        throw new GeoSourceError(`${this.label}: HTML-Seite statt GML (${this.htmlTitle()})`, 'GEO_HTML_RESPONSE');
      }
      if (name !== 'FeatureCollection') {
        throw new GeoSourceError(`${this.label}: unerwartetes Wurzelelement <${qname}> (erwartet wfs:FeatureCollection)`);
      }
      if (/xmlns(?::\w+)?\s*=\s*["']http:\/\/www\.opengis\.net\/gml\/3\.2["']/.test(body)) this.encoding = 'gml32';
      out.push({ kind: 'collection', info: this.collectionInfo(qname, body) });
      if (selfClosing) this.rootClosed = true;
      else this.stack.push({ qname, role: 'root' });
      return;
    }
    if (top.role === 'container') {
      if (name === 'FeatureCollection') {
        if (!selfClosing) this.stack.push({ qname, role: 'collection' });
        return;
      }
      if (selfClosing) {
        out.push({ kind: 'feature', xml: this.buf.slice(start, after), index: ++this.index });
        return;
      }
      this.pending = { qname, start, searchFrom: after, feature: true };
      return;
    }
    // a child of the collection: a member container, or something to skip (boundedBy, additionalObjects)
    if (containers.has(name)) {
      if (!selfClosing) this.stack.push({ qname, role: 'container' });
      return;
    }
    if (name === 'truncatedResponse') {
      throw new TruncatedResponseError(`${this.label}: der Server meldet wfs:truncatedResponse (Antwort unvollständig)`);
    }
    if (!selfClosing) this.pending = { qname, start, searchFrom: after, feature: false };
  }

  private collectionInfo(qname: string, body: string): CollectionInfo {
    const attrs: Record<string, string> = {};
    for (const m of body.matchAll(attributePattern)) attrs[local(m[1] ?? '')] = unescape(m[2] ?? m[3] ?? '');
    const num = (v: string | undefined) => (v === undefined || v === '' || !/^\d+$/.test(v) ? undefined : Number(v));
    const matched = attrs.numberMatched;
    return {
      root: qname,
      numberMatched: matched === 'unknown' ? 'unknown' : num(matched),
      numberReturned: num(attrs.numberReturned ?? attrs.numberOfFeatures),
      next: attrs.next || undefined,
      encoding: this.encoding,
    };
  }

  private htmlTitle(): string {
    const m = /<title[^>]*>([^<]*)<\/title>/i.exec(this.buf);
    return m?.[1]?.trim() ? `Titel: „${m[1].trim()}“` : 'ohne Titel';
  }
}
