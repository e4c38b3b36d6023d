import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { connectors, type ConnectorKind } from '../connectors/index.js';

/** The bundled source declarations (packages/etl/sources.yaml). */
export const defaultSourcesFile = join(dirname(fileURLToPath(import.meta.url)), '../../sources.yaml');

const sourceEntry = z.object({
  title: z.string().min(1),
  connector: z.string().refine((k): k is ConnectorKind => k in connectors, { message: `unknown connector kind` }),
  schedule: z.string().optional(),
  drift: z.enum(['evolve', 'freeze', 'quarantine']).default('freeze'),
  sample: z.boolean().default(false),
  /** false: declared (e.g. a production system not yet configured) but not run by --all or the scheduler */
  enabled: z.boolean().default(true),
  config: z.record(z.string(), z.unknown()).default({}),
});
const sourcesFile = z.object({ sources: z.record(z.string().regex(/^[a-z0-9-]+$/), sourceEntry) });

export interface SourceDefinition {
  name: string;
  title: string;
  connector: ConnectorKind;
  schedule: string | undefined;
  drift: 'evolve' | 'freeze' | 'quarantine';
  sample: boolean;
  /** false keeps the source out of --all and the schedule (default true) */
  enabled?: boolean;
  config: unknown;
  /** folder against which the source's relative paths resolve */
  baseDir: string;
}

/** Reads and validates a sources file; each source's config is checked against its connector. */
export function loadSources(file = defaultSourcesFile): SourceDefinition[] {
  const parsed = sourcesFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return Object.entries(parsed.data.sources).map(([name, entry]) => {
    const connector = connectors[entry.connector];
    const config = connector.configSchema.safeParse(entry.config);
    if (!config.success) {
      throw new Error(`${file}: sources.${name}.config: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return {
      name,
      title: entry.title,
      connector: entry.connector,
      schedule: entry.schedule,
      drift: entry.drift,
      sample: entry.sample,
      enabled: entry.enabled,
      config: config.data,
      baseDir: dirname(file),
    };
  });
}
