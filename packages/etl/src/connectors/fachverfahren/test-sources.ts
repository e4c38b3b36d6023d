// Test support: the bundled Fachverfahren sources, and copies of them that a test may change.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import type { Pool } from 'pg';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import type { FachverfahrenConfig } from './config.js';

export type FeedSource = SourceDefinition & { config: FachverfahrenConfig };

/** A bundled source by name (sources.yaml). */
export function bundledSource(name: 'fachverfahren-inventar' | 'fachverfahren-schnittstellen' | 'fachverfahren-fallzahlen'): FeedSource {
  const source = loadSources().find((s) => s.name === name);
  if (!source) throw new Error(`no source ${name} in sources.yaml`);
  return source as FeedSource;
}

export interface SourceCopy {
  source: FeedSource;
  file: string;
  /** the export's text, decoded with its configured encoding */
  read(): string;
  /** writes text in the export's encoding (BOM kept for UTF-8 exports that had one) */
  write(text: string): void;
  /** writes raw bytes */
  writeBytes(bytes: Buffer | string): void;
  remove(): void;
}

/** A private copy of a bundled source's export in a temp dir, for tests that change it. */
export function copySource(bundled: FeedSource): SourceCopy {
  const dir = mkdtempSync(join(tmpdir(), 'hro-fachverfahren-'));
  const original = resolve(bundled.baseDir, bundled.config.path);
  const file = join(dir, basename(original));
  copyFileSync(original, file);
  const encoding = bundled.config.encoding === 'auto' ? 'utf-8' : bundled.config.encoding;
  const bom = readFileSync(original)
    .subarray(0, 3)
    .equals(Buffer.from([0xef, 0xbb, 0xbf]));
  return {
    source: { ...bundled, baseDir: dir, config: { ...bundled.config, path: basename(original) } },
    file,
    read: () => iconv.decode(readFileSync(file), encoding),
    write: (text) =>
      writeFileSync(file, Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), iconv.encode(text, encoding)])),
    writeBytes: (bytes) => writeFileSync(file, bytes),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** count(*) of a relation (with an optional where clause in the same string). */
export async function count(pool: Pool, relation: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from ${relation}`);
  return rows[0]?.n ?? 0;
}

/** The quarantine of a run: position, code, reason, ordered by position's line. */
export async function quarantineOf(pool: Pool, runId: number): Promise<{ position: string; reason_code: string; reason: string }[]> {
  const { rows } = await pool.query<{ position: string; reason_code: string; reason: string }>(
    `select position, reason_code, reason from etl.quarantine where run_id = $1
     order by split_part(position, ':', 1), split_part(position, ':', 2)::int`,
    [runId],
  );
  return rows;
}
