import { graphql } from './gql/index.js';
import type { ServicesOnlineQuery } from './gql/graphql.js';
import { execute, GraphQLRequestError, type GraphQLErrorEntry } from './graphql-request.js';

// `services(online: true)`: online in OZG-Reifegradmodell 1.1, i.e. the current IST level is 3 or
// higher (public). The responsible org unit is internal: the platform gives it to the steering
// role only, so it is asked for (@include) only when a key is given. Its parents up to the Amt
// come along, since a service may belong to a Bereich such as 06.3 of Amt 06.
const servicesOnlineQuery = graphql(`
  query ServicesOnline($after: String, $withOrgUnit: Boolean!) {
    services(online: true, first: 100, after: $after, orderBy: KEY_ASC) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        key
        title
        maturity {
          model
          kind
          level
        }
        responsibleOrgUnit @include(if: $withOrgUnit) {
          ...Unit
          parent {
            ...Unit
            parent {
              ...Unit
              parent {
                ...Unit
              }
            }
          }
        }
      }
    }
  }

  fragment Unit on OrgUnit {
    code
    name
    kind
  }
`);

type ServiceNode = ServicesOnlineQuery['services']['nodes'][number];
interface Unit {
  code: string;
  name: string;
  parent?: Unit | null;
}

export interface OnlineService {
  key: string;
  title: string;
  /** current IST level in model 1.1 (3 online, 4 end to end) */
  level: number | null;
}

export interface AmtGroup {
  /** code of the Amt (the top of the org unit tree); null: no Amt known or visible */
  code: string | null;
  name: string;
  online: number;
  /** of those at level 4 (Ende-zu-Ende digital) */
  endToEnd: number;
  services: OnlineService[];
}

export interface ServicesOnlineReport {
  endpoint: string;
  /** false: the viewer may not read the responsible org unit (anonymous or developer key) */
  orgUnitsVisible: boolean;
  total: number;
  amter: AmtGroup[];
}

/** The Amt of an org unit: the top of its parent chain. */
function amtOf(unit: Unit): Unit {
  let top = unit;
  while (top.parent) top = top.parent;
  return top;
}

const ACCESS_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/** Reads every online service page by page (keyset cursors) and groups them by Amt. */
export async function servicesOnlinePerAmt(endpoint: string, apiKey?: string): Promise<ServicesOnlineReport> {
  let withOrgUnit = Boolean(apiKey);
  let orgUnitsVisible = withOrgUnit;
  const services: ServiceNode[] = [];
  let after: string | null = null;
  for (;;) {
    // (annotated: `after` feeds the call and is read from its result, too circular for inference)
    const { data, errors }: { data: ServicesOnlineQuery; errors: GraphQLErrorEntry[] } = await execute(
      endpoint,
      servicesOnlineQuery,
      { after, withOrgUnit },
      apiKey,
    );
    // A key below the steering role gets the services with a FORBIDDEN error per org unit:
    // count them without an Amt and stop asking for it.
    const denied = errors.filter((e) => e.path?.includes('responsibleOrgUnit') && ACCESS_CODES.has(e.extensions?.code ?? ''));
    if (denied.length > 0) {
      orgUnitsVisible = false;
      withOrgUnit = false;
    }
    const other = errors.find((e) => !denied.includes(e));
    if (other) throw new GraphQLRequestError(other.message, other.extensions?.code ?? 'GRAPHQL_ERROR');
    services.push(...data.services.nodes);
    if (!data.services.pageInfo.hasNextPage || !data.services.pageInfo.endCursor) break;
    after = data.services.pageInfo.endCursor;
  }

  const groups = new Map<string | null, AmtGroup>();
  for (const service of services) {
    const unit = orgUnitsVisible && service.responsibleOrgUnit ? amtOf(service.responsibleOrgUnit) : null;
    const code = unit?.code ?? null;
    let group = groups.get(code);
    if (!group) {
      group = { code, name: unit?.name ?? 'ohne Angabe', online: 0, endToEnd: 0, services: [] };
      groups.set(code, group);
    }
    const level = service.maturity.find((m) => m.model === '1.1' && m.kind === 'ist')?.level ?? null;
    group.online++;
    if (level !== null && level >= 4) group.endToEnd++;
    group.services.push({ key: service.key, title: service.title, level });
  }
  // Ämter by code, the services without one last
  const amter = [...groups.values()].sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code.localeCompare(b.code, 'de')));
  return { endpoint, orgUnitsVisible, total: services.length, amter };
}
