import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, createApiKey, currentMonth } from '@hro/api/domain';
import { createTestDatabase, loadProgramFixture, type TestDatabase } from '@hro/api/testing';
import { createApp } from '../app.js';
import { listenOnLoopback } from '../testing.js';

// A strict XML parser (well-formedness, namespaces): saxes, the one exceljs reads workbooks with.
interface SaxNode {
  local: string;
  uri: string;
  attributes: Record<string, { value: string }>;
}
interface Saxes {
  on(event: 'opentag', handler: (node: SaxNode) => void): void;
  on(event: 'closetag', handler: () => void): void;
  on(event: 'text', handler: (text: string) => void): void;
  on(event: 'error', handler: (error: Error) => void): void;
  write(xml: string): Saxes;
  close(): void;
}
const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
const { SaxesParser } = requireFromExceljs('saxes') as { SaxesParser: new (options: { xmlns: boolean }) => Saxes };

interface Element {
  name: string;
  uri: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

function parseXml(xml: string): Element {
  const parser = new SaxesParser({ xmlns: true });
  const root: Element = { name: '#document', uri: '', attributes: {}, children: [], text: '' };
  const stack = [root];
  let failure: Error | undefined;
  parser.on('opentag', (node) => {
    const element: Element = {
      name: node.local,
      uri: node.uri,
      attributes: Object.fromEntries(Object.entries(node.attributes).map(([k, a]) => [k, a.value])),
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('error', (e) => (failure ??= e));
  parser.write(xml).close();
  if (failure) throw failure;
  return root.children[0]!;
}

const ATOM = 'http://www.w3.org/2005/Atom';
const child = (e: Element, name: string) => e.children.find((c) => c.name === name);
const children = (e: Element, name: string) => e.children.filter((c) => c.name === name);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let db: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
let steeringKey: string;
const thisMonth = currentMonth();
const lastMonth = addMonths(thisMonth, -1);

beforeAll(async () => {
  db = await createTestDatabase();
  await loadProgramFixture(db.pool);
  // recent changes (the feed covers the last twelve months): a public project this month, with a
  // title that needs escaping; an internal milestone done this month; a Vorhaben's status last month
  await db.pool.query(`
    insert into core.project (key, title, source, status, status_raw, first_seen_at)
      values ('P003/10', 'Bürgerportal <Beta> & „Co“', 'council-paper', 'planned', 'geplant', now() - interval '1 second');
    insert into core.milestone (project_id, key, title, due_date, done_date, is_closed, first_seen_at)
      select id, 'm9', 'Interner Meilenstein', current_date, current_date, true, now() - interval '1 second' from core.project where key = 'OP-1';
    update core.initiative_status_history set valid_to = date_trunc('month', now()) - interval '10 days'
      where initiative_key = 'V12' and valid_to is null;
    insert into core.initiative_status_history (initiative_id, initiative_key, status, status_raw, valid_from)
      select id, key, 'in_progress', 'laufend', date_trunc('month', now()) - interval '10 days' from core.initiative where key = 'V12';`);
  steeringKey = (await createApiKey(db.pool, { name: 'Steuerung', role: 'steering' })).key;
  app = await createApp({ pool: db.pool, log: db.log, introspection: false, baseUrl: 'https://daten.rostock.example' });
  baseUrl = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const feed = async (key?: string) => {
  const res = await fetch(`${baseUrl}/programm/feed.atom`, { headers: key ? { authorization: key } : {} });
  return { res, text: await res.text() };
};

/** The checks of RFC 4287 a reader relies on: ids, titles, updated, author, self link, each entry complete. */
function expectValidAtom(feedElement: Element): void {
  expect([feedElement.name, feedElement.uri]).toEqual(['feed', ATOM]);
  for (const name of ['id', 'title', 'updated', 'author']) expect(children(feedElement, name), `feed/${name}`).toHaveLength(1);
  expect(child(feedElement, 'updated')?.text).toMatch(RFC3339);
  expect(child(child(feedElement, 'author')!, 'name')?.text).toBe('Hanse- und Universitätsstadt Rostock');
  expect(children(feedElement, 'link').find((l) => l.attributes.rel === 'self')?.attributes.href).toBe(
    'https://daten.rostock.example/programm/feed.atom',
  );
  const ids = new Set<string>();
  for (const entry of children(feedElement, 'entry')) {
    for (const name of ['id', 'title', 'updated', 'summary', 'content']) expect(children(entry, name), `entry/${name}`).toHaveLength(1);
    const id = child(entry, 'id')!.text;
    expect(() => new URL(id)).not.toThrow();
    expect(ids.has(id)).toBe(false);
    ids.add(id);
    expect(child(entry, 'updated')?.text).toMatch(RFC3339);
    expect(child(entry, 'content')?.attributes.type).toBe('html');
    expect(children(entry, 'link').find((l) => l.attributes.rel === 'alternate')?.attributes.type).toBe('text/html');
  }
}

describe('the program feed (Atom 1.0)', () => {
  it('gives everyone a valid feed with one entry per month with public changes, newest first', async () => {
    const { res, text } = await feed();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const root = parseXml(text);
    expectValidAtom(root);
    const entries = children(root, 'entry');
    expect(entries.map((e) => child(e, 'id')?.text)).toEqual([
      `https://daten.rostock.example/programm/${thisMonth}`,
      `https://daten.rostock.example/programm/${lastMonth}`,
    ]);
    const content = child(entries[0]!, 'content')!.text;
    // the content is HTML, escaped once in the XML: the parser gives back the HTML with the title escaped in it
    expect(content).toBe('<h3>Geplant</h3><ul><li>Neues Projekt „Bürgerportal &lt;Beta&gt; &amp; „Co““ (geplant)</li></ul>');
    expect(child(entries[0]!, 'summary')?.text).toBe('0 erreicht, 1 geplant, 0 verzögert, 0 geändert; 0 Kennzahlen');
    expect(child(entries[1]!, 'content')?.text).toBe(
      '<h3>Geändert</h3><ul><li>Vorhaben „Einführung DMS - Sachakte“: Status geplant → laufend</li></ul>',
    );
    expect(text).not.toContain('Interner Meilenstein');
  });

  it('gives the steering team the complete entries under their own ids', async () => {
    const { res, text } = await feed(steeringKey);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const root = parseXml(text);
    expectValidAtom(root);
    expect(child(root, 'id')?.text).toBe('https://daten.rostock.example/programm/feed.atom#intern');
    const first = children(root, 'entry')[0]!;
    expect(child(first, 'id')?.text).toBe(`https://daten.rostock.example/programm/${thisMonth}#intern`);
    expect(child(first, 'content')?.text).toContain(
      '<h3>Erreicht</h3><ul><li>Meilenstein „Interner Meilenstein“ im Projekt OP-1 erreicht am',
    );
  });
});
