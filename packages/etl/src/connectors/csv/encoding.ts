// Which character encoding a CSV export uses, and a decoding stage that refuses to guess wrong.
// Exports of German administrations come as UTF-8 (often with BOM), Windows-1252 (Excel's
// "CSV (Trennzeichen-getrennt)") or ISO-8859-1; nothing else is accepted.
import { Transform, type TransformCallback } from 'node:stream';
import chardet from 'chardet';
import iconv from 'iconv-lite';

export const supportedEncodings = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;
export type CsvEncoding = (typeof supportedEncodings)[number];

/** How many leading bytes detection looks at. */
export const sniffBytes = 64 * 1024;

export interface EncodingChoice {
  encoding: CsvEncoding;
  /** why: a byte-order mark, chardet's guess, or the source's configuration */
  by: 'bom' | 'detected' | 'configured';
}

const hasUtf8Bom = (head: Uint8Array) => head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
const hasUtf16Bom = (head: Uint8Array) => (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);

/** Valid UTF-8 (a sequence cut off at the end of the sample is fine) with at least one non-ASCII character. */
function isUtf8WithNonAscii(head: Uint8Array): boolean {
  if (!head.some((b) => b >= 0x80)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** chardet's best guess among the single-byte encodings we accept (Windows-1252 unless it prefers ISO-8859-1). */
function singleByteGuess(head: Uint8Array): CsvEncoding {
  for (const match of chardet.analyse(head)) {
    if (match.name === 'windows-1252') return 'windows-1252';
    if (match.name === 'ISO-8859-1') return 'iso-8859-1';
  }
  return 'windows-1252';
}

/** chardet's guess, for error messages. */
export function guessEncoding(head: Uint8Array): string {
  if (hasUtf8Bom(head) || isUtf8WithNonAscii(head)) return 'utf-8';
  return singleByteGuess(head);
}

/**
 * Chooses the encoding of a file from its first bytes: a UTF-8 BOM wins; otherwise chardet
 * decides (`auto`) or the configuration does. A configured single-byte encoding for bytes that
 * are plainly UTF-8 is refused (it would load "Ã¼" for "ü" without any error).
 */
export function chooseEncoding(head: Uint8Array, configured: CsvEncoding | 'auto', file: string): EncodingChoice {
  if (hasUtf16Bom(head)) throw new Error(`${file}: UTF-16 is not supported; export the file as UTF-8 or Windows-1252`);
  if (configured !== 'auto') {
    if (configured !== 'utf-8' && (hasUtf8Bom(head) || isUtf8WithNonAscii(head))) {
      throw new Error(
        `${file}: configured encoding ${configured}, but the bytes are UTF-8${hasUtf8Bom(head) ? ' (with BOM)' : ''}; ` +
          `set encoding: utf-8 (or auto) for this source`,
      );
    }
    return { encoding: configured, by: 'configured' };
  }
  if (hasUtf8Bom(head)) return { encoding: 'utf-8', by: 'bom' };
  // Pure ASCII is valid UTF-8; a later non-UTF-8 byte is then caught by the decoder's check.
  if (!head.some((b) => b >= 0x80) || isUtf8WithNonAscii(head)) return { encoding: 'utf-8', by: 'detected' };
  return { encoding: singleByteGuess(head), by: 'detected' };
}

/**
 * Decodes a byte stream to text with iconv-lite (a BOM is dropped) and fails on the first U+FFFD
 * the decoder produced: bytes that are not valid in the chosen encoding must fail the run with the
 * line, not load as garbage. Counts lines so the message can name one.
 */
export class CheckedDecoder extends Transform {
  private readonly decoder: iconv.DecoderStream;
  private line = 1;

  constructor(
    private readonly encoding: CsvEncoding,
    private readonly file: string,
    private readonly hint: string,
    private readonly onBytes?: (n: number) => void,
  ) {
    // out: text, as it is split into records
    super({ decodeStrings: true, readableObjectMode: true });
    this.decoder = iconv.getDecoder(encoding);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.onBytes?.(chunk.length);
    this.pass(this.decoder.write(chunk), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.pass(this.decoder.end() ?? '', callback);
  }

  private pass(text: string, callback: TransformCallback): void {
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) {
      callback(
        new Error(
          `${this.file}:${this.line + countNewlines(text, bad)}: bytes that are not valid ${this.encoding} ` +
            `(decoded as U+FFFD); the file looks like ${this.hint} — correct the source's encoding setting`,
        ),
      );
      return;
    }
    this.line += countNewlines(text, text.length);
    callback(null, text);
  }
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
