import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { executeAs } from '../testing/graphql.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.project (key, title, source, status, status_raw) values ('P001/19', 'Öffentlich', 'council-paper', 'in_progress', 'In Umsetzung'),
      ('OP-intern', 'Intern', 'openproject', 'on_hold', 'Pausiert');
    insert into core.milestone (project_id, key, title, due_date, done_date, is_closed) values
      ((select id from core.project where key = 'OP-intern'), 'm1', 'Ausschreibung', current_date - 10, null, false),
      ((select id from core.project where key = 'OP-intern'), 'm2', 'Zuschlag', current_date + 10, null, false);
    insert into core.project_status_history (project_id, status, status_raw, valid_from, valid_to) values
      ((select id from core.project where key = 'OP-intern'), 'in_progress', 'In Arbeit', now() - interval '30 days', now() - interval '5 days'),
      ((select id from core.project where key = 'OP-intern'), 'on_hold', 'Pausiert', now() - interval '5 days', null);`);
});
afterAll(async () => {
  await db.close();
});

const run = (role: Role, source: string) => executeAs(db, role, source);

describe('project milestones and status history', () => {
  it('are for the steering team, with overdue milestones marked', async () => {
    const result = await run('steering', '{ project(key: "OP-intern") { milestones { key overdue } statusHistory { status validTo } } }');
    expect(result.errors).toBeUndefined();
    const project = result.data?.project as { milestones: unknown[]; statusHistory: { status: string; validTo: string | null }[] };
    expect(project.milestones).toEqual([
      { key: 'm1', overdue: true },
      { key: 'm2', overdue: false },
    ]);
    expect(project.statusHistory.map((h) => [h.status, h.validTo === null])).toEqual([
      ['in_progress', false],
      ['on_hold', true],
    ]);
  });

  it('are refused to anonymous users, who see only the published project list', async () => {
    const result = await run('anonymous', '{ projects(first: 10) { nodes { key milestones { key } } } }');
    expect((result.data?.projects as { nodes: { key: string; milestones: unknown }[] }).nodes).toEqual([
      { key: 'P001/19', milestones: null },
    ]);
    expect(result.errors?.map((e) => e.path?.join('.'))).toEqual(['projects.nodes.0.milestones']);
  });
});
