import { XMLParser } from 'fast-xml-parser';
import { WfsExceptionError } from './errors.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string =>
  typeof v === 'string' ? v : v && typeof v === 'object' && '#text' in v ? String((v as Record<string, unknown>)['#text']) : '';

/**
 * Reads an OWS ExceptionReport (WFS 1.1/2.0) or a ServiceExceptionReport (WFS 1.0) into an error
 * carrying the server's own message and exception code.
 */
export function parseExceptionReport(xml: string): WfsExceptionError {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    return new WfsExceptionError(`WFS-Ausnahme (nicht lesbar): ${xml.slice(0, 200)}`, undefined);
  }
  const report = (doc.ExceptionReport ?? doc.ServiceExceptionReport) as Record<string, unknown> | undefined;
  const items = list(report?.Exception ?? report?.ServiceException).map((i) =>
    i && typeof i === 'object' ? (i as Record<string, unknown>) : { '#text': String(i) },
  );
  const messages: string[] = [];
  let code: string | undefined;
  for (const item of items) {
    const c = (item['@_exceptionCode'] ?? item['@_code']) as string | undefined;
    code ??= c;
    const locator = item['@_locator'] as string | undefined;
    const texts = list(item.ExceptionText).map(text).filter(Boolean);
    const message = texts.length > 0 ? texts.join('; ') : text(item).trim();
    messages.push([c, locator ? `(${locator})` : '', message].filter(Boolean).join(' '));
  }
  return new WfsExceptionError(`WFS-Ausnahme: ${messages.join(' | ') || 'ohne Text'}`, code);
}
