// What a valid project and work package of the API v3 is, and what of them gets staged.
import { z } from 'zod';
import type { EntitySpec } from '../connector.js';
import { customFields, embedded, idFromHref, link, steeringKeyIn, workspaceId } from './hal.js';
import { isoDate, isoDuration, isoTimestamp, percentage, syncMarker } from './fields.js';
import { isClosedStatus, projectStatus, workPackageStatus } from './status.js';

const halLink = z.looseObject({ href: z.string().nullable().optional(), title: z.string().nullable().optional() });

/**
 * Resources the server shortened (`_abbreviated`, as in the spec's examples) lack what we map:
 * checked first, so the reason says so rather than naming the first missing field.
 */
const full = z.unknown().refine((v) => !(typeof v === 'object' && v !== null && '_abbreviated' in v), {
  error: 'the server sent an abbreviated resource (_abbreviated); the full resource is needed',
  path: ['_abbreviated'],
});

const project = full.pipe(
  z
    .looseObject({
      _type: z.string().default('Project'),
      id: z.number().int().positive(),
      identifier: z.string().trim().min(1),
      name: z.string().trim().min(1),
      active: z.boolean().nullable().optional(),
      updatedAt: isoTimestamp.nullable().optional(),
      _links: z.looseObject({ self: halLink, status: halLink.optional(), parent: halLink.optional() }),
      _sync: syncMarker,
    })
    .transform((p) => {
      const status = link(p, 'status');
      const code = idFromHref(status?.href, ['project_statuses']);
      const custom = customFields(p);
      // an explicit field wins over the identifier, the identifier over the name
      const customTexts = Object.values(custom).map((v) => (typeof v === 'string' ? v : ''));
      const steeringKey = [...customTexts, p.identifier, p.name].map(steeringKeyIn).find((k) => k !== null) ?? null;
      return {
        external_id: String(p.id),
        key: `OP-${p.identifier}`,
        title: p.name,
        status: projectStatus(code),
        status_raw: status?.title ?? code ?? '',
        is_active: p.active ?? null,
        project_type: p._type.toLowerCase(),
        steering_key: steeringKey,
        custom_fields: custom,
        source_updated_at: p.updatedAt ?? null,
        parent_external_id: workspaceId(link(p, 'parent')?.href),
        self_href: link(p, 'self')?.href ?? `/api/v3/projects/${p.id}`,
        sync: p._sync,
      };
    }),
);

/** The status and type facts the extract embeds from /api/v3/statuses and /api/v3/types. */
const workPackage = full.pipe(
  z
    .looseObject({
      id: z.number().int().positive(),
      subject: z.string().trim().min(1),
      startDate: isoDate,
      dueDate: isoDate,
      // milestones have one `date` instead of start and due date
      date: isoDate,
      estimatedTime: isoDuration,
      percentageDone: percentage,
      createdAt: isoTimestamp.nullable().optional(),
      updatedAt: isoTimestamp,
      _links: z.looseObject({
        self: halLink.optional(),
        status: halLink.refine((l) => !!l.href, { error: 'missing (every work package has a status)' }),
        type: halLink.optional(),
        project: halLink.optional(),
        parent: halLink.optional(),
      }),
      _sync: syncMarker,
    })
    .transform((w) => {
      const statusFacts = embedded(w, 'status') ?? {};
      const typeFacts = embedded(w, 'type') ?? {};
      const statusName = w._links.status.title ?? (typeof statusFacts.name === 'string' ? statusFacts.name : '');
      const status = workPackageStatus(statusName, {
        isClosed: typeof statusFacts.isClosed === 'boolean' ? statusFacts.isClosed : null,
        isDefault: typeof statusFacts.isDefault === 'boolean' ? statusFacts.isDefault : null,
      });
      const typeName = w._links.type?.title ?? (typeof typeFacts.name === 'string' ? typeFacts.name : null);
      return {
        external_id: String(w.id),
        subject: w.subject,
        type: typeName,
        is_milestone: typeFacts.isMilestone === true,
        status,
        status_raw: statusName,
        is_closed: statusFacts.isClosed === true || isClosedStatus(status),
        start_date: w.startDate ?? w.date,
        due_date: w.dueDate ?? w.date,
        estimated_time: w.estimatedTime,
        percentage_done: w.percentageDone,
        custom_fields: customFields(w),
        source_created_at: w.createdAt ?? null,
        source_updated_at: w.updatedAt,
        project_external_id: workspaceId(w._links.project?.href),
        parent_external_id: idFromHref(w._links.parent?.href, ['work_packages']),
        self_href: w._links.self?.href ?? `/api/v3/work_packages/${w.id}`,
        sync: w._sync,
      };
    }),
);

/** Staged columns of a work package, shared with the export import (see export-entities.ts). */
export const workPackageColumns = {
  external_id: 'text',
  subject: 'text',
  type: 'text',
  is_milestone: 'boolean',
  status: 'text',
  status_raw: 'text',
  is_closed: 'boolean',
  start_date: 'date',
  due_date: 'date',
  estimated_time: 'text',
  percentage_done: 'smallint',
  custom_fields: 'jsonb',
  source_created_at: 'timestamptz',
  source_updated_at: 'timestamptz',
  project_external_id: 'text',
  parent_external_id: 'text',
} as const satisfies EntitySpec['columns'];

export const apiEntities = {
  project: {
    schema: project,
    key: ['external_id'],
    columns: {
      external_id: 'text',
      key: 'text',
      title: 'text',
      status: 'text',
      status_raw: 'text',
      is_active: 'boolean',
      project_type: 'text',
      steering_key: 'text',
      custom_fields: 'jsonb',
      source_updated_at: 'timestamptz',
      parent_external_id: 'text',
      self_href: 'text',
      sync: 'text',
    },
  },
  work_package: {
    schema: workPackage,
    key: ['external_id'],
    columns: { ...workPackageColumns, self_href: 'text', sync: 'text' },
  },
} satisfies Record<string, EntitySpec>;
