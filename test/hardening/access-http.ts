// HTTP helpers of the access matrix (access-matrix.test.ts): the route list of a running Fastify
// app, answers read as text (XLSX unzipped), and GraphQL operations generated from introspection.
import { inflateRawSync } from 'node:zlib';

// ───────────────────────────── routes ─────────────────────────────

export interface RouteEntry {
  url: string;
  methods: string[];
}

/**
 * Every route of the app (method and URL pattern), read from Fastify's route tree
 * (`printRoutes({ commonPrefix: false })`: one node per line, each child's text appended to its
 * parent's path, four characters of indentation per level). HEAD routes Fastify adds for GET are
 * folded into their GET.
 */
export function listRoutes(app: { printRoutes(options: { commonPrefix: boolean }): string }): RouteEntry[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: RouteEntry[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*)$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const node = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(m[2] ?? '');
    const segment = node?.[1] ?? '';
    stack.length = depth;
    const url = `${stack.join('')}${segment}`;
    stack.push(segment);
    const methods = (node?.[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s !== 'HEAD');
    if (methods.length > 0 || node?.[2]?.includes('HEAD')) routes.push({ url, methods: methods.length > 0 ? methods : ['HEAD'] });
  }
  return routes;
}

// ───────────────────────────── answers ─────────────────────────────

/** The entries of a ZIP file (an XLSX) as text, from its central directory. */
export function unzipText(zip: Buffer): string {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return '';
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const parts: string[] = [];
  for (let i = 0; i < entries && zip.readUInt32LE(at) === 0x02014b50; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    parts.push((method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return parts.join('\n');
}

/** An answer as the text a reader could see: status line, headers and body (XLSX unzipped). */
export async function readAnswer(res: Response): Promise<{ status: number; text: string; headers: string }> {
  const body = Buffer.from(await res.arrayBuffer());
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  const zipped = body.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  return { status: res.status, headers, text: zipped ? unzipText(body) : body.toString('utf8') };
}

// ───────────────────────────── GraphQL ─────────────────────────────

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface Field {
  name: string;
  args: { name: string; type: TypeRef; defaultValue: string | null }[];
  type: TypeRef;
}
interface IntrospectedType {
  kind: string;
  name: string;
  fields: Field[] | null;
}

export const introspectionQuery = `{ __schema { queryType { name } types { kind name
  fields { name args { name defaultValue type { ...T } } type { ...T } } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
const required = (f: Field) => f.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);

/**
 * One query per root field (and per argument variant of fields with required arguments), each
 * selecting every field of the answer's types down to `depth` object levels (a type once per
 * path; lists of connections at most 5 long). Fields whose required arguments no variant gives
 * are returned apart (the role matrix, role-matrix.test.ts, runs them in-process).
 */
export function generateQueries(
  schema: { queryType: { name: string }; types: IntrospectedType[] },
  variants: Record<string, string[]>,
  depth = 3,
): { queries: { field: string; source: string }[]; skipped: string[] } {
  const types = new Map(schema.types.map((t) => [t.name, t]));
  const argsOf = (f: Field, given = '') => {
    const parts = [given];
    if (f.args.some((a) => a.name === 'first') && !given.includes('first:')) parts.push('first: 5');
    const text = parts.filter(Boolean).join(', ');
    return text ? `(${text})` : '';
  };
  const selection = (typeName: string, level: number, path: string[]): string => {
    const type = types.get(typeName);
    const out: string[] = ['__typename'];
    for (const f of type?.fields ?? []) {
      if (required(f).length > 0) continue;
      const t = named(f.type);
      const inner = t.name ? types.get(t.name) : undefined;
      if (!inner || inner.kind === 'SCALAR' || inner.kind === 'ENUM') {
        out.push(f.name);
      } else if ((inner.kind === 'OBJECT' || inner.kind === 'INTERFACE') && level < depth && !path.includes(inner.name)) {
        out.push(`${f.name}${argsOf(f)} { ${selection(inner.name, level + 1, [...path, inner.name])} }`);
      }
    }
    return out.join(' ');
  };
  const root = types.get(schema.queryType.name);
  const queries: { field: string; source: string }[] = [];
  const skipped: string[] = [];
  for (const f of root?.fields ?? []) {
    const given = variants[f.name] ?? (required(f).length > 0 ? [] : ['']);
    if (given.length === 0) skipped.push(f.name);
    const t = named(f.type);
    const inner = t.name ? types.get(t.name) : undefined;
    for (const args of given) {
      const body = inner && (inner.kind === 'OBJECT' || inner.kind === 'INTERFACE') ? ` { ${selection(inner.name, 1, [inner.name])} }` : '';
      queries.push({ field: f.name, source: `{ ${f.name}${argsOf(f, args)}${body} }` });
    }
  }
  return { queries, skipped };
}
