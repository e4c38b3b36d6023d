import { join, resolve } from 'node:path';
import { z } from 'zod';
import { defineConnector, type RawRecord } from '../connector.js';
import { serviceRef } from './cells.js';
import { entities, type OzgEntity } from './entities.js';
import { mergeCatalog } from './merge.js';
import { readCsvFile } from './read-csv.js';

/** File names of the KDN OZG-Datenbank export (packages/etl/data/ozg). */
export const defaultFiles = {
  codelisten: 'kdn_nrw_ozg_codelisten.csv',
  themenfelder: 'kdn_nrw_ozg_themenfelder.csv',
  lebenslagen: 'kdn_nrw_ozg_lebenslagen.csv',
  leistungen: 'kdn_nrw_ozg_leistungen_557.csv',
  leika: 'kdn_nrw_leika_leistungen_5251.csv',
};

export const ozgConfig = z.object({
  /** folder holding the export's five CSV files */
  path: z.string().min(1),
  /** other file names, where an export names them differently */
  files: z
    .object({
      codelisten: z.string().min(1),
      themenfelder: z.string().min(1),
      lebenslagen: z.string().min(1),
      leistungen: z.string().min(1),
      leika: z.string().min(1),
    })
    .partial()
    .default({}),
  /**
   * optional CSV of assessed maturity levels (`leistung,modell,art,reifegrad,zieldatum`), relative
   * to `path`; the 2019 catalogue has none. A configured file must exist.
   */
  maturity: z.string().min(1).optional(),
});
export type OzgConfig = z.infer<typeof ozgConfig>;

const readOrder: [keyof typeof defaultFiles, OzgEntity, string[]][] = [
  ['codelisten', 'code', ['liste', 'id']],
  ['themenfelder', 'themenfeld', ['themenfeld_id']],
  ['lebenslagen', 'lebenslage', ['lebenslage_id']],
  ['leistungen', 'ozg_service', ['ozg_id']],
  ['leika', 'leika_service', ['leika_leistungsschluessel', 'ozg_id', 'leistung']],
];

/**
 * The OZG / LeiKa service catalog from the KDN OZG-Datenbank NRW export: code lists, the 14
 * Themenfelder and their Lebenslagen, the OZG services (Leistungsbündel, 5-digit OZG ids) and the
 * LeiKa services below them — optionally with assessed maturity levels. A full-refresh source.
 */
export const ozgConnector = defineConnector<OzgConfig>({
  kind: 'ozg',
  description: 'OZG/LeiKa service catalog (KDN OZG-Datenbank export: code lists, topics, OZG and LeiKa services; maturity levels)',
  configSchema: ozgConfig,
  entities,
  async *extract(config, ctx): AsyncIterable<RawRecord> {
    const dir = resolve(ctx.baseDir, config.path);
    const files = { ...defaultFiles, ...config.files };
    const common = { signal: ctx.signal, onBytes: (n: number) => ctx.addBytes(n) };
    // Service keys of the valid catalog rows (a few thousand strings): a maturity row naming
    // another service is quarantined here, as the merge could not place it.
    const known = new Set<string>();
    for (const [file, entity, requiredColumns] of readOrder) {
      for await (const record of readCsvFile(join(dir, files[file]), { entity, requiredColumns, ...common })) {
        if (!record.reject && (entity === 'ozg_service' || entity === 'leika_service')) {
          const parsed = entities[entity].schema.safeParse(record.data);
          if (parsed.success) known.add(parsed.data.key);
        }
        yield record;
      }
    }
    if (!config.maturity) return;
    for await (const record of readCsvFile(resolve(dir, config.maturity), {
      entity: 'maturity',
      requiredColumns: ['leistung', 'modell', 'art', 'reifegrad'],
      allowEmpty: true,
      ...common,
    })) {
      const leistung = typeof record.data.leistung === 'string' ? record.data.leistung : '';
      const ref = serviceRef(leistung);
      if (!record.reject && ref !== null && !known.has(ref)) {
        record.reject = { code: 'ROW_UNKNOWN_SERVICE', reason: `leistung: "${leistung}" is not a service of this catalog` };
      }
      yield record;
    }
  },
  merge: mergeCatalog,
});
