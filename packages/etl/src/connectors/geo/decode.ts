import iconv from 'iconv-lite';
import { GeoSourceError } from './errors.js';

/**
 * Decodes a byte stream to text chunks. UTF-8 (BOM stripped) unless an XML declaration names
 * another encoding (`<?xml version="1.0" encoding="ISO-8859-1"?>`), which iconv-lite then
 * decodes. Invalid UTF-8 fails the run: a mis-declared file must not load as mojibake.
 */
export async function* decodeText(bytes: AsyncIterable<Uint8Array>, label: string, addBytes: (n: number) => void): AsyncGenerator<string> {
  let decode: ((chunk: Uint8Array) => string) | undefined;
  let finish: () => string = () => '';
  let offset = 0;
  for await (const raw of bytes) {
    const chunk = raw;
    addBytes(chunk.byteLength);
    if (!decode) {
      const head = Buffer.from(chunk.subarray(0, 200)).toString('latin1');
      const declared = /^(?:\uFEFF|ï»¿)?<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
      if (declared && !/^utf-?8$/i.test(declared)) {
        const encoding: string = declared;
        if (!iconv.encodingExists(encoding)) throw new GeoSourceError(`${label}: unbekannte Zeichenkodierung ${declared}`);
        const decoder = iconv.getDecoder(encoding);
        decode = (c) => decoder.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
        finish = () => decoder.end() ?? '';
      } else {
        const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
        decode = (c) => {
          try {
            return decoder.decode(c, { stream: true });
          } catch {
            throw new GeoSourceError(`${label}: kein gültiges UTF-8 (um Byte ${offset})`, 'GEO_ENCODING');
          }
        };
        finish = () => {
          try {
            return decoder.decode();
          } catch {
            throw new GeoSourceError(`${label}: kein gültiges UTF-8 (Datei endet mitten in einem Zeichen)`, 'GEO_ENCODING');
          }
        };
      }
    }
    const text = decode(chunk);
    offset += chunk.byteLength;
    if (text) yield text;
  }
  const last = finish();
  if (last) yield last;
}

/** Reads all text of a stream, failing when it exceeds `limitBytes` (whole-document GeoJSON). */
export async function readAllText(chunks: AsyncIterable<string>, limitBytes: number, label: string): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > limitBytes) {
      throw new GeoSourceError(
        `${label}: GeoJSON größer als ${Math.round(limitBytes / 1e6)} MB – für große Datenmengen WFS-Paging oder GeoJSONSeq verwenden (Einstellung maxGeoJsonMB)`,
        'GEO_TOO_LARGE',
      );
    }
    parts.push(c);
  }
  return parts.join('');
}
