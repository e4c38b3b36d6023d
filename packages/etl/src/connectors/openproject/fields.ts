// zod pieces for the project tool's values, with quarantine messages that name the value.
import { z } from 'zod';
import { isIsoDate, isIsoDuration } from './hal.js';

/** A date YYYY-MM-DD, or null/absent. */
export const isoDate = z
  .string()
  .nullable()
  .optional()
  .refine((v) => v === null || v === undefined || isIsoDate(v), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a date (YYYY-MM-DD)`,
  })
  .transform((v) => v ?? null);

/** A timestamp with zone as the API writes it (2022-01-12T08:53:29Z, …41.981Z). */
export const isoTimestamp = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a timestamp with time zone (ISO 8601)`,
  });

/** An ISO-8601 duration (PT2H) or null: kept as text, PostgreSQL reads it as an interval. */
export const isoDuration = z
  .string()
  .nullable()
  .optional()
  .refine((v) => v === null || v === undefined || isIsoDuration(v), {
    error: (issue) => `${JSON.stringify(issue.input)} is not an ISO-8601 duration (e.g. PT2H)`,
  })
  .transform((v) => v ?? null);

/** A percentage 0–100 or null. */
export const percentage = z
  .number()
  .int()
  .min(0)
  .max(100)
  .nullable()
  .optional()
  .transform((v) => v ?? null);

/** Whether a listing was complete (`full`: the merge may delete what it lacks) or only changes. */
export const syncMarker = z.enum(['full', 'changes']);
