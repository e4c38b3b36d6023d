import { jsonText, type ExportColumn } from '@hro/api/domain';

/** A JSON download: an array of objects, one per row, keys in column order. */
export function jsonRows(columns: ExportColumn[]): (rows: (string | null)[][], first: boolean) => string {
  const keys = columns.map((c) => `${JSON.stringify(c.id)}:`);
  return (rows, first) => {
    let out = '';
    rows.forEach((row, r) => {
      let object = first && r === 0 ? '{' : ',\n{';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) object += ',';
        object += keys[i] + jsonText((columns[i] as ExportColumn).kind, row[i] ?? null);
      }
      out += `${object}}`;
    });
    return out;
  };
}

export const JSON_START = '[\n';
export const JSON_END = '\n]\n';

const BBOX = ['bbox_min_lon', 'bbox_min_lat', 'bbox_max_lon', 'bbox_max_lat'];

/** The geometry column of a geo view: a JSON column named `geometry` (GeoJSON, WGS84). */
export function geometryColumn(columns: ExportColumn[]): number {
  return columns.findIndex((c) => c.id === 'geometry' && c.kind === 'json');
}

/**
 * A GeoJSON download (RFC 7946): a FeatureCollection with one Feature per row, the geometry from
 * the `geometry` column, the bounding box from `bbox_min_lon` … `bbox_max_lat` when the view has
 * them, and every other column as a property.
 */
export function geojsonRows(columns: ExportColumn[]): (rows: (string | null)[][], first: boolean) => string {
  const geometry = geometryColumn(columns);
  const bbox = BBOX.map((name) => columns.findIndex((c) => c.id === name && (c.kind === 'numeric' || c.kind === 'int')));
  const hasBbox = bbox.every((i) => i >= 0);
  const properties = columns
    .map((c, i) => ({ key: `${JSON.stringify(c.id)}:`, kind: c.kind, i }))
    .filter(({ i }) => i !== geometry && !(hasBbox && bbox.includes(i)));
  return (rows, first) => {
    let out = '';
    rows.forEach((row, r) => {
      let feature = `${first && r === 0 ? '' : ',\n'}{"type":"Feature"`;
      if (hasBbox && bbox.every((i) => row[i] !== null)) feature += `,"bbox":[${bbox.map((i) => row[i]).join(',')}]`;
      feature += `,"geometry":${row[geometry] ?? 'null'},"properties":{`;
      properties.forEach((p, n) => {
        feature += `${n > 0 ? ',' : ''}${p.key}${jsonText(p.kind, row[p.i] ?? null)}`;
      });
      out += `${feature}}}`;
    });
    return out;
  };
}

export const GEOJSON_START = '{"type":"FeatureCollection","features":[\n';
export const GEOJSON_END = '\n]}\n';
