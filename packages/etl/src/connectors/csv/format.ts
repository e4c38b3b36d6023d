import { z } from 'zod';
import { supportedEncodings } from './encoding.js';
import { germanFormat, type ValueFormat } from './values.js';

/**
 * How one CSV export is written, as a source's configuration states it (sources.yaml). Every
 * setting has a safe default, so a plain UTF-8/`;`/German file needs none of them.
 */
export const csvFormatConfig = z.object({
  /** `auto`: a BOM means UTF-8, else chardet decides on the first 64 KB */
  encoding: z.enum(['auto', ...supportedEncodings]).default('auto'),
  /** `auto`: the one of `;` `,` tab that splits the first lines most consistently */
  delimiter: z.enum(['auto', ';', ',', '\t']).default('auto'),
  /** decimal separator of numbers; the other one is the thousands separator */
  decimal: z.enum([',', '.']).default(','),
  /** date format of the export (ISO dates are accepted besides) */
  dateFormat: z.enum(['DD.MM.YYYY', 'YYYY-MM-DD']).default('DD.MM.YYYY'),
  /** rows to skip before the header row (after comment lines), e.g. a "Spalten-Nr." row */
  skipLines: z.number().int().min(0).default(0),
  /** lines starting with this character are comments (a `#` preamble) */
  commentPrefix: z.string().length(1).optional(),
});
export type CsvFormatConfig = z.infer<typeof csvFormatConfig>;

// The number and date format travel with each raw record as a symbol property of its prototype:
// invisible to the drift check (Object.keys), to the quarantine's raw JSON and to spreads, but
// readable by the entity schema, which is shared by all sources of a connector kind. (A property
// defined on each of a million records cost more than reading their cells.)
const formatKey = Symbol('hro.csv.valueFormat');
const prototypes = new Map<string, object>();

/** The prototype of raw records of an export written in this format (see readCsv's rowPrototype). */
export function valueFormatPrototype(format: ValueFormat): object {
  const id = `${format.decimal}|${format.dateFormat}`;
  const known = prototypes.get(id);
  if (known) return known;
  const prototype = Object.freeze(
    Object.create(Object.prototype, { [formatKey]: { value: Object.freeze({ ...format }), enumerable: false } }) as object,
  );
  prototypes.set(id, prototype);
  return prototype;
}

function valueFormatOf(input: unknown): ValueFormat {
  if (typeof input === 'object' && input !== null && formatKey in input) {
    return (input as Record<typeof formatKey, ValueFormat>)[formatKey];
  }
  return germanFormat;
}

/**
 * An entity schema built per value format: records made from a valueFormatPrototype are
 * validated by the schema for their export's format (German for any other record). Issues keep
 * their column path.
 */
export function formatAware<T extends Record<string, unknown>>(build: (format: ValueFormat) => z.ZodType<T>): z.ZodType<T> {
  const built = new Map<string, z.ZodType<T>>();
  return z.unknown().transform((input, ctx): T => {
    const format = valueFormatOf(input);
    const id = `${format.decimal}|${format.dateFormat}`;
    let schema = built.get(id);
    if (!schema) {
      schema = build(format);
      built.set(id, schema);
    }
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
}
