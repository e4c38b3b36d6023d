import {
  resourceDownloadPath,
  type DatasetRecord,
  type GroupRecordWithCount,
  type LicenseRecord,
  type OrganizationRecord,
  type ResourceRecord,
} from '@hro/api/domain';

/**
 * Catalog records as CKAN 2.11's dicts — the key sets and value types of package_show (the
 * dataset dict after CKAN's show schema), resource_show, organization_show/group_show and
 * license_list (ckan/lib/dictization/model_dictize.py, ckan/logic/schema.py). Where CKAN keeps
 * something we do not (users, followers, vocabularies, file hashes and sizes) the key is there
 * with CKAN's empty value, so clients find every key they expect.
 */

type Dict = Record<string, unknown>;

/** Python's datetime.isoformat() of a naive UTC time: microseconds, dropped when zero. */
export function ckanTime(text: string): string;
export function ckanTime(text: string | null): string | null;
export function ckanTime(text: string | null): string | null {
  if (text === null) return null;
  return text.endsWith('.000000') ? text.slice(0, -7) : text;
}

/** Solr's rendering of a date field (metadata_modified in `fl` results): UTC, milliseconds, Z. */
export function solrTime(text: string): string {
  const [seconds, fraction = ''] = text.split('.');
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  return millis === '000' ? `${seconds}Z` : `${seconds}.${millis}Z`;
}

/** A group or organization image as CKAN shows it (uploads live under /uploads/group/). */
function imageDisplayUrl(imageUrl: string, siteUrl: string): string {
  if (!imageUrl || imageUrl.startsWith('http')) return imageUrl;
  return `${siteUrl}/uploads/group/${imageUrl}`;
}

export function resourceUrl(resource: ResourceRecord, siteUrl: string): string {
  return resource.url ?? `${siteUrl}${resourceDownloadPath(resource.datasetId, resource.id)}`;
}

/** A resource dict (package_show's resources, resource_show, resource_search). */
export function resourceDict(resource: ResourceRecord, siteUrl: string): Dict {
  return {
    cache_last_updated: null,
    cache_url: null,
    created: ckanTime(resource.created),
    datastore_active: resource.datastoreActive,
    description: resource.description,
    format: resource.format,
    hash: '',
    id: resource.id,
    last_modified: ckanTime(resource.lastModified),
    metadata_modified: ckanTime(resource.lastModified ?? resource.created),
    mimetype: resource.mimetype,
    mimetype_inner: null,
    name: resource.name,
    package_id: resource.datasetId,
    position: resource.position,
    resource_type: null,
    size: null,
    state: 'active',
    url: resourceUrl(resource, siteUrl),
    url_type: null,
  };
}

/** The organization inside a dataset dict: the group row as stored. */
function packageOrganization(org: OrganizationRecord): Dict {
  return {
    approval_status: 'approved',
    created: ckanTime(org.created),
    description: org.description,
    id: org.id,
    image_url: org.imageUrl,
    is_organization: true,
    name: org.name,
    state: 'active',
    title: org.title,
    type: 'organization',
  };
}

const frequencyBase = 'http://publications.europa.eu/resource/authority/frequency/';

/**
 * The dataset's extras: its own key/value pairs and what the catalog keeps in columns, under the
 * keys ckanext-dcat and ckanext-dcatde read (temporal_start/_end, frequency, spatial_uri,
 * spatial as GeoJSON, contributorID as a JSON list), sorted by key as CKAN sorts them.
 */
export function extrasOf(record: DatasetRecord): { key: string; value: string }[] {
  const extras = new Map<string, string>();
  for (const [key, value] of Object.entries(record.extras)) extras.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  const derived: [string, string | null][] = [
    ['temporal_start', record.temporalStart],
    ['temporal_end', record.temporalEnd],
    ['spatial_uri', record.spatialUri],
    ['frequency', record.updateFrequency && (/^[A-Z_]+$/.test(record.updateFrequency) ? frequencyBase : '') + record.updateFrequency],
    ['contributorID', record.organization?.contributorId ? JSON.stringify([record.organization.contributorId]) : null],
  ];
  const bbox = record.spatialBbox;
  if (bbox?.length === 4) {
    const [w, s, e, n] = bbox as [number, number, number, number];
    derived.push([
      'spatial',
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [w, s],
            [e, s],
            [e, n],
            [w, n],
            [w, s],
          ],
        ],
      }),
    ]);
  }
  for (const [key, value] of derived) if (value && !extras.has(key)) extras.set(key, value);
  return [...extras.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => ({ key, value }));
}

/** The dataset dict of package_show and package_search (CKAN's show schema applied). */
export function packageDict(record: DatasetRecord, siteUrl: string): Dict {
  const org = record.organization;
  const dict: Dict = {
    author: null,
    author_email: null,
    creator_user_id: null,
    extras: extrasOf(record),
    groups: record.groups.map((g) => ({
      description: g.description,
      display_name: g.title || g.name,
      id: g.id,
      image_display_url: imageDisplayUrl(g.imageUrl, siteUrl),
      name: g.name,
      title: g.title,
    })),
    id: record.id,
    isopen: record.license?.odConformance === 'approved',
    license_id: record.licenseId,
    license_title: record.license?.title ?? record.licenseId,
    // the publisher is the contact (DCAT's contactPoint is read from maintainer/_email)
    maintainer: org?.title ?? null,
    maintainer_email: org?.email ?? null,
    metadata_created: ckanTime(record.metadataCreated),
    metadata_modified: ckanTime(record.metadataModified),
    name: record.name,
    notes: record.notes,
    num_resources: record.resources.length,
    num_tags: record.tags.length,
    organization: org ? packageOrganization(org) : null,
    owner_org: org?.id ?? null,
    private: record.private,
    relationships_as_object: [],
    relationships_as_subject: [],
    resources: record.resources.map((r) => resourceDict(r, siteUrl)),
    state: record.state,
    tags: record.tags.map((t) => ({ display_name: t.name, id: t.id, name: t.name, state: 'active', vocabulary_id: null })),
    title: record.title.trim(),
    type: 'dataset',
    url: null,
    version: record.version,
  };
  // CKAN sets license_url only for a licence that has one
  if (record.license?.url) dict.license_url = record.license.url;
  return dict;
}

export interface GroupDictOptions {
  packageCount: boolean;
  extras: boolean;
  tags: boolean;
  groups: boolean;
  users: boolean;
  followers: boolean;
  /** the dataset dicts, when include_datasets asked for them */
  packages?: Dict[];
}

/** The dict of organization_show/group_show (and of their lists with all_fields). */
export function groupDict(group: GroupRecordWithCount, siteUrl: string, options: GroupDictOptions): Dict {
  const dict: Dict = {
    approval_status: 'approved',
    created: ckanTime(group.created),
    description: group.description,
    display_name: group.title || group.name,
    id: group.id,
    image_display_url: imageDisplayUrl(group.imageUrl, siteUrl),
    image_url: group.imageUrl,
    is_organization: group.isOrganization,
    name: group.name,
    // no followers are kept; CKAN answers 0 also when include_followers is off
    num_followers: 0,
    state: 'active',
    title: group.title,
    type: group.isOrganization ? 'organization' : 'group',
  };
  if (options.packageCount) dict.package_count = group.packageCount;
  if (options.extras) dict.extras = [];
  if (options.packages) dict.packages = options.packages;
  if (options.tags) dict.tags = [];
  if (options.groups) dict.groups = [];
  if (options.users) dict.users = [];
  return dict;
}

/**
 * A licence as CKAN 2.11's built-in licence register prints it: every value a string (the
 * register's DefaultLicense.copy() applies str(), so booleans read "False"/"True").
 */
export function licenseDict(license: LicenseRecord): Dict {
  return {
    domain_content: 'False',
    domain_data: 'False',
    domain_software: 'False',
    family: '',
    id: license.id,
    is_generic: license.url ? 'False' : 'True',
    maintainer: '',
    od_conformance: license.odConformance,
    osd_conformance: 'not reviewed',
    status: 'active',
    title: license.title,
    url: license.url ?? '',
  };
}

/**
 * The dataset as its Solr document (what `fl` selects from): CKAN's index fields. As in Solr,
 * empty and missing values are left out.
 */
export function indexDocument(record: DatasetRecord, siteUrl: string): Dict {
  const dict = packageDict(record, siteUrl);
  const doc: Dict = {
    id: record.id,
    site_id: 'default',
    index_id: record.id,
    entity_type: 'package',
    dataset_type: 'dataset',
    type: 'dataset',
    name: record.name,
    title: record.title,
    notes: record.notes,
    version: record.version,
    maintainer: dict.maintainer,
    maintainer_email: dict.maintainer_email,
    license_id: record.licenseId,
    license: record.license?.title ?? null,
    owner_org: record.organization?.id ?? null,
    organization: record.organization?.name ?? null,
    capacity: record.private ? 'private' : 'public',
    state: record.state,
    groups: record.groups.map((g) => g.name),
    tags: record.tags.map((t) => t.name),
    res_name: record.resources.map((r) => r.name),
    res_description: record.resources.map((r) => r.description),
    res_format: record.resources.map((r) => r.format),
    res_url: record.resources.map((r) => resourceUrl(r, siteUrl)),
    num_resources: record.resources.length,
    num_tags: record.tags.length,
    metadata_created: solrTime(record.metadataCreated),
    metadata_modified: solrTime(record.metadataModified),
    data_dict: JSON.stringify(dict),
    validated_data_dict: JSON.stringify(dict),
  };
  for (const { key, value } of extrasOf(record)) doc[`extras_${key}`] = value;
  for (const [key, value] of Object.entries(doc)) {
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) delete doc[key];
  }
  return doc;
}
