// PostGraphile 5 as its users run it: the amber preset plus @graphile/pg-aggregates, over the same
// database, serving `core` (tables, relations, conditions, orderBy, cursors) and bench_pg (the two
// SQL functions for the bbox filter and the year of the grouped query, see seed.ts).
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';
import { PgAggregatesPreset } from '@graphile/pg-aggregates';

/** Starts PostGraphile on a loopback port; resolves with the port. */
export async function startPostGraphile(url: string, poolSize: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {});
  const preset: GraphileConfig.Preset = {
    extends: [PostGraphileAmberPreset, PgAggregatesPreset],
    // V5 offers orderBy/groupBy only on indexed columns by default; like V4's default (ignoreIndexes)
    // every column is offered, so the mix can order milestones by due date and group by org unit
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    plugins: [
      // core.service_metric keeps its integrity set-based, without foreign keys (migration 0009):
      // PostGraphile learns the relations from smart tags, as its docs advise for such tables
      jsonPgSmartTags({
        version: 1,
        config: {
          class: {
            'core.service_metric': {
              tags: { foreignKey: ['(service_id) references core.service (id)', '(org_unit_id) references core.org_unit (id)'] },
            },
          },
        },
      }),
    ],
    pgServices: [makePgService({ pool, schemas: ['core', 'bench_pg'] })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.keepAliveTimeout = 60_000;
  await serv.addTo(server);
  // build the schema before the port is announced, so no request waits for introspection
  await pgl.getSchema();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
