import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, from which relative paths in the configuration are resolved. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * One entry per setting: its environment variable, default and meaning. The README's
 * configuration table is checked against this list by a test, so both stay true.
 */
export const settings = {
  PORT: {
    schema: z.coerce.number().int().min(0).max(65535),
    default: '8080',
    description: 'TCP port of the one HTTP server (portal, GraphQL, CKAN API).',
  },
  HOST: {
    schema: z.string().min(1),
    default: '0.0.0.0',
    description: 'Interface the HTTP server binds to.',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL, e.g. postgres://user:pass@host:5432/db')
      .optional(),
    default: undefined,
    description: 'PostgreSQL ≥ 15 to use. Unset: an embedded PostgreSQL is started with its data under HRO_DATA_DIR.',
  },
  DATABASE_READ_URL: {
    schema: z
      .string()
      .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL, e.g. postgres://reader:pass@replica:5432/db')
      .optional(),
    default: undefined,
    description:
      'A read replica (or read-only role) for the read paths: GraphQL queries, CKAN, DCAT, downloads, GET pages. Unset: they use the primary.',
  },
  PG_BIN: {
    schema: z.string().min(1).optional(),
    default: undefined,
    description: 'Directory of pg_dump and pg_restore for npm run backup/restore (unset: PATH and the usual install directories).',
  },
  HRO_DATA_DIR: {
    schema: z.string().min(1),
    default: '.data',
    description: 'Directory for local state (the embedded PostgreSQL cluster). Relative paths are resolved from the repository root.',
  },
  HRO_EMBEDDED_PG_PORT: {
    schema: z.coerce.number().int().min(1).max(65535),
    default: '54329',
    description: 'Port of the embedded PostgreSQL (only when DATABASE_URL is unset).',
  },
  HRO_SAMPLE_LOAD: {
    schema: z.enum(['auto', 'always', 'never']),
    default: 'auto',
    description: 'First ETL run over the bundled sample sources at start: auto (only when a source has never run), always, never.',
  },
  HRO_ETL_SCHEDULER: {
    schema: z.enum(['in-process', 'off']),
    default: 'in-process',
    description:
      "in-process: the server also runs an ETL worker that executes the sources' cron schedules; off: leave it to `etl worker` processes.",
  },
  HRO_RATE_LIMIT_ANONYMOUS: {
    schema: z.coerce.number().int().min(1),
    default: '600',
    description: 'Requests per minute per client IP without an API key.',
  },
  HRO_RATE_LIMIT_KEY: {
    schema: z.coerce.number().int().min(1),
    default: '3000',
    description: 'Requests per minute per API key.',
  },
  HRO_OIDC_ISSUER: {
    schema: z.url().optional(),
    default: undefined,
    description: 'OIDC issuer whose JWTs are accepted as bearer tokens (unset: API keys only).',
  },
  HRO_OIDC_AUDIENCE: {
    schema: z.string().min(1).optional(),
    default: undefined,
    description: 'Audience the tokens must be issued for (required with HRO_OIDC_ISSUER).',
  },
  HRO_OIDC_JWKS_URL: {
    schema: z.url().optional(),
    default: undefined,
    description: "The issuer's JWKS URL (default: <issuer>/protocol/openid-connect/certs, Keycloak's layout).",
  },
  HRO_OIDC_ROLE_CLAIM: {
    schema: z.string().min(1),
    default: 'roles',
    description: 'Claim with the roles; hro-steering and hro-admin grant those roles, others sign in as developer.',
  },
  HRO_MAP_TILE_URL: {
    schema: z
      .string()
      .regex(/^https?:\/\/[^/\s]+\/\S*\{z\}\S*$/, 'must be an http(s) tile URL template with {z}, {x} and {y}')
      .optional(),
    default: undefined,
    description:
      'Tile URL template ({z}/{x}/{y}, optional {s}) under the portal map previews, e.g. a city tile server; unset: features on a plain background (no outside requests).',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'pino log level.',
  },
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']),
    default: 'development',
    description: 'production turns GraphQL introspection off unless HRO_GRAPHQL_INTROSPECTION says otherwise.',
  },
  HRO_GRAPHQL_INTROSPECTION: {
    schema: z.enum(['on', 'off', 'auto']),
    default: 'auto',
    description: 'GraphQL introspection: on, off, or auto (on unless NODE_ENV=production).',
  },
  HRO_GRAPHQL_ALLOWLIST: {
    schema: z.string().min(1).optional(),
    default: undefined,
    description:
      'JSON file of persisted GraphQL operations keyed by the SHA-256 of their text (callable by extensions.persistedQuery.sha256Hash, also with GET); checked at start. Relative paths are resolved from the repository root.',
  },
  HRO_GRAPHQL_ALLOWLIST_MODE: {
    schema: z.enum(['enforce', 'lookup']),
    default: 'enforce',
    description:
      'With an allowlist: enforce (anonymous users and developers run listed operations only) or lookup (listed hashes resolve, other documents run too).',
  },
} as const;

type Settings = typeof settings;
export type SettingName = keyof Settings;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** DATABASE_READ_URL: where the read paths go (undefined: the primary) */
  databaseReadUrl: string | undefined;
  /** PG_BIN: where backup and restore look for pg_dump and pg_restore first */
  pgBin: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  sampleLoad: 'auto' | 'always' | 'never';
  etlScheduler: 'in-process' | 'off';
  rateLimits: { anonymous: number; key: number };
  oidc: { issuer: string; audience: string; jwksUrl: string; roleClaim: string } | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  nodeEnv: 'development' | 'production' | 'test';
  introspection: boolean;
  graphqlAllowlist: { path: string; mode: 'enforce' | 'lookup' } | undefined;
  mapTileUrl: string | undefined;
}

/** Raised when one or more settings are invalid; its message names each of them on one line. */
export class ConfigError extends Error {
  constructor(readonly problems: { setting: string; message: string }[]) {
    super(problems.map((p) => `${p.setting}: ${p.message}`).join('; '));
    this.name = 'ConfigError';
  }

  static of(setting: string, message: string): ConfigError {
    return new ConfigError([{ setting, message }]);
  }
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Reads and validates every setting; throws one ConfigError listing all bad keys. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: { setting: string; message: string }[] = [];
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const [name, setting] of Object.entries(settings) as [SettingName, Settings[SettingName]][]) {
    const raw = env[name] === '' ? undefined : (env[name] ?? setting.default);
    const parsed = setting.schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push({ setting: name, message: `${JSON.stringify(raw)} ${parsed.error.issues[0]?.message ?? 'is invalid'}` });
  }
  if (env.HRO_OIDC_ISSUER && !env.HRO_OIDC_AUDIENCE)
    problems.push({ setting: 'HRO_OIDC_AUDIENCE', message: 'is required when HRO_OIDC_ISSUER is set' });
  if (problems.length > 0) throw new ConfigError(problems);
  const v = values as { [K in SettingName]: z.infer<Settings[K]['schema']> };
  const dataDir = isAbsolute(v.HRO_DATA_DIR) ? v.HRO_DATA_DIR : join(repoRoot, v.HRO_DATA_DIR);
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    databaseReadUrl: v.DATABASE_READ_URL,
    pgBin: v.PG_BIN,
    dataDir,
    embeddedPgPort: v.HRO_EMBEDDED_PG_PORT,
    sampleLoad: v.HRO_SAMPLE_LOAD,
    etlScheduler: v.HRO_ETL_SCHEDULER,
    rateLimits: { anonymous: v.HRO_RATE_LIMIT_ANONYMOUS, key: v.HRO_RATE_LIMIT_KEY },
    oidc:
      v.HRO_OIDC_ISSUER && v.HRO_OIDC_AUDIENCE
        ? {
            issuer: v.HRO_OIDC_ISSUER,
            audience: v.HRO_OIDC_AUDIENCE,
            jwksUrl: v.HRO_OIDC_JWKS_URL ?? `${v.HRO_OIDC_ISSUER.replace(/\/$/, '')}/protocol/openid-connect/certs`,
            roleClaim: v.HRO_OIDC_ROLE_CLAIM,
          }
        : undefined,
    logLevel: v.LOG_LEVEL,
    nodeEnv: v.NODE_ENV,
    introspection: v.HRO_GRAPHQL_INTROSPECTION === 'auto' ? v.NODE_ENV !== 'production' : v.HRO_GRAPHQL_INTROSPECTION === 'on',
    graphqlAllowlist: v.HRO_GRAPHQL_ALLOWLIST
      ? {
          path: isAbsolute(v.HRO_GRAPHQL_ALLOWLIST) ? v.HRO_GRAPHQL_ALLOWLIST : join(repoRoot, v.HRO_GRAPHQL_ALLOWLIST),
          mode: v.HRO_GRAPHQL_ALLOWLIST_MODE,
        }
      : undefined,
    mapTileUrl: v.HRO_MAP_TILE_URL,
  };
}

/** Creates the data directory if needed and proves it is writable (only used with the embedded database). */
export function ensureWritableDir(dir: string, setting: SettingName): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw ConfigError.of(setting, `${dir} is not writable (${code})`);
  }
}
