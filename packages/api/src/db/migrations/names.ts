/**
 * Every migration, in order; each is the committed SQL file `<name>.sql` beside this module.
 * Append only: a released migration is never edited. A module of its own, without MikroORM, so
 * that a process can tell whether the schema is current without loading the ORM (≈ 11 MB).
 */
export const migrationNames = [
  '0001_data_model',
  '0002_open_views',
  '0003_fachverfahren',
  '0004_ozg_catalog',
  '0005_project_tool',
  '0006_geo_open',
  '0007_lineage',
  '0008_geo_bbox',
  '0009_bulk_loads',
  '0010_catalog_search',
  '0012_publishing',
  '0014_read_paths',
  '0015_driver_projects',
  '0017_developer_keys',
  '0018_geo_feature_text',
] as const;
