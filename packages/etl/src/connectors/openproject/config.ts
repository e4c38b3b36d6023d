import { z } from 'zod';

/** Settings of an `openproject` source (sources.yaml): where the API is and how to talk to it. */
export const openProjectConfig = z.object({
  /** the API v3 root, e.g. https://projekte.example.org/api/v3 */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl: the API v3 root as an http(s) URL, e.g. https://host/api/v3' }),
  /**
   * name of the environment variable holding the API token (OpenProject: "My account → Access
   * tokens → API"); sent as HTTP Basic auth with user `apikey`. Unset: anonymous (public instances).
   */
  tokenEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'tokenEnv: the NAME of an environment variable (upper case), never the token')
    .optional(),
  /** elements per page (OpenProject caps it at its own maximum, by default 1000) */
  pageSize: z.number().int().min(1).max(1000).default(100),
  /**
   * `incremental`: after the first complete load, read only work packages changed since the last
   * run (cursor = updatedAt) and delete nothing; `full`: read everything and delete what the
   * tool no longer lists.
   */
  mode: z.enum(['incremental', 'full']).default('incremental'),
  /** per request, headers to last byte */
  requestTimeoutMs: z.number().int().min(10).default(30_000),
  /** attempts per request for 429, 5xx and network errors (1 = no retry) */
  maxAttempts: z.number().int().min(1).max(10).default(5),
  /** first backoff delay; it doubles with each attempt */
  retryBaseMs: z.number().int().min(0).default(1000),
  /** a longer Retry-After fails the run instead of waiting */
  maxRetryAfterSeconds: z.number().int().min(0).default(300),
});
export type OpenProjectConfig = z.infer<typeof openProjectConfig>;

/** Settings of an `openproject-export` source: OpenProject's CSV/XLSX work-package exports. */
export const openProjectExportConfig = z.object({
  /** export files (.csv or .xlsx), relative to sources.yaml; together they are the complete list */
  files: z.array(z.string().min(1)).min(1),
  /** CSV only: `auto` = UTF-8 (with or without BOM) unless the bytes are not UTF-8, then Windows-1252 */
  encoding: z.enum(['auto', 'utf-8', 'windows-1252', 'iso-8859-1']).default('auto'),
  /** CSV only: `auto` = whichever of ; , or tab the header line uses most */
  delimiter: z.enum(['auto', ';', ',', '\t']).default('auto'),
  /** XLSX only: the worksheet to read (default: the first) */
  sheet: z.string().min(1).optional(),
});
export type OpenProjectExportConfig = z.infer<typeof openProjectExportConfig>;
