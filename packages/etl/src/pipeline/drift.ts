import type { EntitySpec, RawRecord } from '../connectors/connector.js';

export type DriftPolicy = 'evolve' | 'freeze' | 'quarantine';

export interface DriftFinding {
  unknown: string[];
  missing: string[];
}

/** Raised under the `freeze` policy: the run fails rather than load a changed source. */
export class SchemaDriftError extends Error {
  readonly code = 'ETL_SCHEMA_DRIFT';
  constructor(entity: string, finding: DriftFinding) {
    super(`schema drift in ${entity}: ${describe(finding)} (policy freeze)`);
    this.name = 'SchemaDriftError';
  }
}

function describe(f: DriftFinding): string {
  return [f.unknown.length ? `unknown ${f.unknown.join(', ')}` : '', f.missing.length ? `missing ${f.missing.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Compares each record's fields with the fields its entity expects. Records of one source mostly
 * share a shape, so findings are cached per field signature. Every finding lands in the run's
 * record (etl.run.schema_drift) whatever the policy.
 */
export class DriftCheck {
  private readonly cache = new Map<string, DriftFinding | null>();
  private last: { entity: string; keys: string[]; finding: DriftFinding | null } | undefined;
  readonly findings = new Map<string, DriftFinding>();

  constructor(
    private readonly policy: DriftPolicy,
    private readonly entities: Record<string, EntitySpec>,
  ) {}

  /** null: no drift (or drift accepted by `evolve`); else the quarantine reason. Throws under `freeze`. */
  check(record: RawRecord): { code: string; reason: string } | null {
    const expected = this.entities[record.entity]?.expectedFields;
    if (!expected) return null;
    const keys = Object.keys(record.data);
    // Consecutive records nearly always share their shape: compare with the last one before
    // building a signature (a million-row export would otherwise join a million key lists).
    let finding: DriftFinding | null | undefined;
    const last = this.last;
    if (last && last.entity === record.entity && sameKeys(last.keys, keys)) finding = last.finding;
    else {
      const signature = `${record.entity}\u0001${keys.join('\u0001')}`;
      finding = this.cache.get(signature);
      if (finding === undefined) finding = this.evaluate(signature, record.entity, keys, expected);
      this.last = { entity: record.entity, keys, finding };
    }
    if (!finding) return null;
    if (this.policy === 'freeze') throw new SchemaDriftError(record.entity, finding);
    if (this.policy === 'quarantine') return { code: 'ROW_SCHEMA_DRIFT', reason: describe(finding) };
    return null;
  }

  private evaluate(signature: string, entity: string, keys: string[], expected: readonly string[]): DriftFinding | null {
    const unknown = keys.filter((k) => !expected.includes(k));
    const missing = expected.filter((k) => !keys.includes(k));
    const finding = unknown.length || missing.length ? { unknown, missing } : null;
    this.cache.set(signature, finding);
    if (finding) this.remember(entity, finding);
    return finding;
  }

  private remember(entity: string, finding: DriftFinding): void {
    const seen = this.findings.get(entity) ?? { unknown: [], missing: [] };
    for (const k of finding.unknown) if (!seen.unknown.includes(k)) seen.unknown.push(k);
    for (const k of finding.missing) if (!seen.missing.includes(k)) seen.missing.push(k);
    this.findings.set(entity, seen);
  }

  /** What goes into etl.run.schema_drift: null when the source matched its spec. */
  summary(): Record<string, unknown> | null {
    if (this.findings.size === 0) return null;
    return { policy: this.policy, entities: Object.fromEntries(this.findings) };
  }
}
