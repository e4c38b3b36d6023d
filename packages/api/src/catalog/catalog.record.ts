/**
 * The catalog as plain records — datasets with their licence, publisher, tags, groups and
 * resources — read with one SQL expression per dataset. Transports shape them: the CKAN Action
 * API into CKAN's dicts, pages into HTML. Timestamps come as UTC text with microseconds
 * (`2024-01-31T12:34:56.123456`), the precision the database keeps and CKAN prints.
 */

export interface LicenseRecord {
  id: string;
  title: string;
  url: string | null;
  /** Open Definition conformance: 'approved' makes a dataset "open" */
  odConformance: string;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  title: string;
  description: string;
  imageUrl: string;
  created: string;
  isOrganization: boolean;
  email: string | null;
  contributorId: string | null;
}

export interface ResourceRecord {
  id: string;
  datasetId: string;
  name: string;
  description: string;
  format: string;
  mimetype: string | null;
  /** an explicit URL; NULL: the platform's own download of the resource */
  url: string | null;
  position: number;
  created: string;
  lastModified: string | null;
  datastoreActive: boolean;
}

export interface DatasetRecord {
  id: string;
  name: string;
  title: string;
  notes: string;
  private: boolean;
  state: 'active' | 'draft' | 'deleted';
  version: string | null;
  licenseId: string | null;
  license: LicenseRecord | null;
  metadataCreated: string;
  metadataModified: string;
  extras: Record<string, unknown>;
  temporalStart: string | null;
  temporalEnd: string | null;
  spatialUri: string | null;
  /** [min lon, min lat, max lon, max lat] in WGS84, for geo datasets */
  spatialBbox: number[] | null;
  updateFrequency: string | null;
  organization: OrganizationRecord | null;
  tags: { id: string; name: string }[];
  groups: OrganizationRecord[];
  resources: ResourceRecord[];
}

/** The path of a resource's download on this platform (relative to the site URL). */
export function resourceDownloadPath(datasetId: string, resourceId: string): string {
  return `/dataset/${datasetId}/resource/${resourceId}/download`;
}

/** A timestamptz column as CKAN's naive UTC ISO text (microseconds; trimmed by the transport). */
export const utcText = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/** A group or organization row (alias `g`) as the JSON of an OrganizationRecord. */
export const groupJson = (g: string) =>
  `json_build_object('id', ${g}.id, 'name', ${g}.name, 'title', ${g}.title, 'description', ${g}.description,
    'imageUrl', ${g}.image_url, 'created', ${utcText(`${g}.created`)}, 'isOrganization', ${g}.is_org,
    'email', ${g}.email, 'contributorId', ${g}.contributor_id)`;

/** Organizations and groups in one shape (groups have no e-mail or contributor id). */
export const groupRelation = (kind: 'organization' | 'group') =>
  kind === 'organization'
    ? `(select o.id, o.name, o.title, o.description, o.image_url, o.created, true as is_org, o.email, o.contributor_id
        from catalog.organization o)`
    : `(select g.id, g.name, g.title, g.description, g.image_url, g.created, false as is_org, null::text as email,
          null::text as contributor_id from catalog."group" g)`;

/** A resource row (alias `r`) as the JSON of a ResourceRecord. */
export const resourceJson = (r: string) =>
  `json_build_object('id', ${r}.id, 'datasetId', ${r}.dataset_id, 'name', ${r}.name, 'description', ${r}.description,
    'format', ${r}.format, 'mimetype', ${r}.mimetype, 'url', ${r}.url, 'position', ${r}.position,
    'created', ${utcText(`${r}.created`)}, 'lastModified', ${utcText(`${r}.last_modified`)}, 'datastoreActive', ${r}.datastore_active)`;

/**
 * One dataset row (alias `d`) as the JSON of a DatasetRecord, with its related rows. The bbox is
 * read through to_jsonb so this module does not depend on the migration that adds the column.
 */
export const datasetJson = (d: string) => `json_build_object(
    'id', ${d}.id, 'name', ${d}.name, 'title', ${d}.title, 'notes', ${d}.notes, 'private', ${d}.private, 'state', ${d}.state,
    'version', ${d}.version, 'licenseId', ${d}.license_id,
    'license', (select json_build_object('id', l.id, 'title', l.title, 'url', l.url, 'odConformance', l.od_conformance)
                from catalog.license l where l.id = ${d}.license_id),
    'metadataCreated', ${utcText(`${d}.metadata_created`)}, 'metadataModified', ${utcText(`${d}.metadata_modified`)},
    'extras', ${d}.extras,
    'temporalStart', to_char(${d}.temporal_start, 'YYYY-MM-DD'), 'temporalEnd', to_char(${d}.temporal_end, 'YYYY-MM-DD'),
    'spatialUri', ${d}.spatial_uri, 'spatialBbox', to_jsonb(${d}) -> 'spatial_bbox', 'updateFrequency', ${d}.update_frequency,
    'organization', (select ${groupJson('o')} from ${groupRelation('organization')} o where o.id = ${d}.organization_id),
    'tags', coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name) order by t.name collate "C")
                      from catalog.dataset_tag dt join catalog.tag t on t.id = dt.tag_id where dt.dataset_id = ${d}.id), '[]'),
    'groups', coalesce((select json_agg(${groupJson('g')} order by g.title collate "C", g.name collate "C")
                        from catalog.dataset_group dg join ${groupRelation('group')} g on g.id = dg.group_id
                        where dg.dataset_id = ${d}.id), '[]'),
    'resources', coalesce((select json_agg(${resourceJson('r')} order by r.position)
                           from catalog.resource r where r.dataset_id = ${d}.id), '[]'))`;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a reference can be an id (uuid); CKAN looks a reference up by id first, then by name. */
export function isUuid(reference: string): boolean {
  return uuidPattern.test(reference);
}
