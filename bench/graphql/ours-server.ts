// Our API exactly as `npm start` serves it (createApp of the portal: Fastify, rate limits, auth,
// Apollo + type-graphql, response cache), minus the ETL worker, with the rate limits raised so
// they never refuse a benchmark request.
import 'reflect-metadata';
import { createLogger } from '@hro/api';
import { createPool } from '@hro/api/db';
import { createApp } from '@hro/portal';

/** Starts our app on a loopback port; with `cache`, GraphQL responses are cached as in production. */
export async function startOurs(url: string, poolSize: number, cache: boolean): Promise<number> {
  const pool = createPool(url, poolSize);
  const app = await createApp({
    pool,
    log: createLogger(process.env.HRO_BENCH_LOG_LEVEL ?? 'warn'),
    introspection: false,
    rateLimits: { anonymous: 1_000_000_000, key: 1_000_000_000 },
    cacheUrl: cache ? url : undefined,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
