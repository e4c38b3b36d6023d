import { z } from 'zod';
import { csvFormatConfig } from '../csv/format.js';

/** The three exports of the specialist procedures, one source each (sources.yaml). */
export const feeds = ['inventar', 'schnittstellen', 'fallzahlen'] as const;
export type Feed = (typeof feeds)[number];

/**
 * A Fachverfahren source: which export (`feed`), where it lies (`path`, relative to sources.yaml)
 * and how it is written (encoding, delimiter, decimal separator, date format, preamble).
 */
export const fachverfahrenConfig = csvFormatConfig.extend({
  feed: z.enum(feeds),
  path: z.string().min(1),
});
export type FachverfahrenConfig = z.infer<typeof fachverfahrenConfig>;
