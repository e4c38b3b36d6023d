// For tests: the geo connector's extract and entity validation without a database.
import { createLogger } from '@hro/api';
import type { ExtractContext } from '../connector.js';
import { geoConfig } from './config.js';
import { geoEntities } from './entities.js';
import { extractGeo } from './extract.js';
import type { GeoJsonGeometry } from './geometry.js';

export interface Extracted {
  features: {
    position: string;
    feature_key: string;
    geometry: GeoJsonGeometry | null;
    bbox: string | null;
    properties: Record<string, unknown>;
  }[];
  rejected: { position: string; reason: string }[];
  layer: Record<string, unknown> | undefined;
  notes: string[];
}

/** Runs the connector's extract and entity schemas (no database): what would be staged and quarantined. */
export async function extractGeoOffline(config: Record<string, unknown>, baseDir: string): Promise<Extracted> {
  const notes: string[] = [];
  const log = createLogger('silent');
  const warn = (obj: unknown, msg?: string) => {
    notes.push(typeof obj === 'string' ? obj : (msg ?? ''));
  };
  log.warn = warn;
  const ctx: ExtractContext = {
    log,
    baseDir,
    signal: new AbortController().signal,
    cursor: null,
    advanceCursor: () => {},
    env: {},
    addBytes: () => {},
  };
  const out: Extracted = { features: [], rejected: [], layer: undefined, notes };
  for await (const r of extractGeo(geoConfig.parse({ layer: 'test', title: 'Test', ...config }), ctx)) {
    if (r.reject) {
      out.rejected.push({ position: r.position, reason: r.reject.reason });
      continue;
    }
    const parsed = geoEntities[r.entity as 'feature' | 'layer'].schema.safeParse(r.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.rejected.push({ position: r.position, reason: `${issue?.path.join('.')}: ${issue?.message}` });
    } else if (r.entity === 'layer') {
      out.layer = parsed.data;
    } else {
      out.features.push({ position: r.position, ...(parsed.data as Omit<Extracted['features'][number], 'position'>) });
    }
  }
  return out;
}
