import type { PoolClient } from 'pg';
import { addCounts, type MergeContext, type MergeCounts } from '../connector.js';
import { upsert } from '../../pipeline/upsert.js';
import { GeoSourceError } from './errors.js';

/** The staged relation under another alias than `r` (for a second relation in one statement). */
const alias = (relation: string, name: string) => relation.replace(/ as r$/, ` as ${name}`);

/**
 * Merges a run's layer and features: the layer row by key; the features by (layer, feature key)
 * with a full refresh per layer — features the source no longer delivers are deleted, features of
 * other layers are untouched. A layer that would end up empty fails the run unless allowEmpty.
 * bbox is compared with the row (box `=` compares areas only), but it derives from the geometry,
 * which is compared exactly (jsonb), so a moved feature is always rewritten.
 */
export async function mergeGeo(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const layers = ctx.staged('layer');
  const features = ctx.staged('feature');
  const { rows: empty } = await tx.query<{ key: string }>(
    `select r.key from ${layers}
     where not r.allow_empty and not exists (select 1 from ${alias(features, 'f')} where f.layer_key = r.key)`,
  );
  if (empty.length > 0) {
    throw new GeoSourceError(
      `Layer ${empty.map((e) => e.key).join(', ')}: kein gültiges Feature – der Lauf würde den Layer leeren (allowEmpty: true erlaubt das)`,
      'GEO_EMPTY_LAYER',
    );
  }
  let counts = await upsert(tx, {
    table: 'core.geo_layer',
    key: ['key'],
    runId: ctx.runId,
    from: layers,
    columns: ['key', 'title', 'source_crs', 'source_url', 'published'],
  });
  const withLayer = `(select r.*, l.id as layer_id from ${features} join core.geo_layer l on l.key = r.layer_key) as r`;
  counts = addCounts(
    counts,
    await upsert(tx, {
      table: 'core.geo_feature',
      key: ['layer_id', 'feature_key'],
      runId: ctx.runId,
      from: withLayer,
      columns: ['layer_id', 'feature_key', 'geometry', 'properties'],
      derived: { bbox: 'r.bbox::box' },
      order: 'r._seq',
      fullRefresh: { where: `t.layer_id in (select l.id from core.geo_layer l join ${alias(layers, 's')} on s.key = l.key)` },
    }),
  );
  // Where a feature sits in the response ("page 2 #17") shifts when the server inserts one before
  // it; it is recorded for lineage but is no change of the feature (not counted, run id kept).
  await tx.query(
    `update core.geo_feature t set source_position = r._position from ${withLayer}
     where t.layer_id = r.layer_id and t.feature_key = r.feature_key and t.source_position is distinct from r._position`,
  );
  return counts;
}
