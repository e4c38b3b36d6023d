// Dependencies point one way: portal → api ← etl (ARCHITECTURE.md). ESLint's no-restricted-imports
// says so while editing; this test holds the line without ESLint, and also sees dynamic import()
// and require(), which the lint rule does not.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');

type PackageName = 'api' | 'etl' | 'portal';

interface Rule {
  /** the package whose sources are scanned */
  from: PackageName;
  /** packages it must not import */
  forbidden: PackageName[];
  /** files (relative to the package folder, '/'-separated) exempt from the rule */
  exempt?: (file: string) => boolean;
  why: string;
}

const rules: Rule[] = [
  { from: 'api', forbidden: ['etl', 'portal'], why: 'packages/api must not import etl or portal' },
  { from: 'etl', forbidden: ['portal'], why: 'packages/etl must not import portal' },
  {
    from: 'portal',
    forbidden: ['etl'],
    // main.ts is the composition root; tests wire the whole platform (sample load through etl) as it does.
    exempt: (file) => file === 'src/main.ts' || file.endsWith('.test.ts'),
    why: 'only the composition root packages/portal/src/main.ts may import @hro/etl',
  },
];

interface Violation {
  file: string;
  line: number;
  specifier: string;
  target: PackageName;
}

/** The module specifiers of a source (static and dynamic imports, re-exports, require), with line numbers. Comments are not read. */
function importSpecifiers(source: string): { specifier: string; line: number }[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map((f) => ({ specifier: f.fileName, line: source.slice(0, f.pos).split('\n').length }));
}

/** Which workspace package a specifier, written in `file` (absolute path), points into; undefined for anything else. */
function targetPackage(file: string, specifier: string): PackageName | undefined {
  const bare = /^@hro\/(api|etl|portal)(?:\/|$)/.exec(specifier);
  if (bare) return bare[1] as PackageName;
  if (!specifier.startsWith('.')) return undefined;
  const path = relative(packagesDir, resolve(dirname(file), specifier));
  if (path.startsWith('..')) return undefined;
  const pkg = path.split(sep)[0];
  return pkg === 'api' || pkg === 'etl' || pkg === 'portal' ? pkg : undefined;
}

/** The imports of one source file (absolute path under packages/<rule.from>) that break the rule. */
function scanSource(file: string, source: string, rule: Rule): Violation[] {
  const inPackage = relative(join(packagesDir, rule.from), file).split(sep).join('/');
  if (rule.exempt?.(inPackage)) return [];
  return importSpecifiers(source).flatMap(({ specifier, line }) => {
    const target = targetPackage(file, specifier);
    return target !== undefined && rule.forbidden.includes(target) ? [{ file: relative(root, file), line, specifier, target }] : [];
  });
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function dependencyNames(pkg: PackageName): string[] {
  const manifest = JSON.parse(readFileSync(join(packagesDir, pkg, 'package.json'), 'utf8')) as Partial<
    Record<'dependencies' | 'devDependencies' | 'peerDependencies' | 'optionalDependencies', Record<string, string>>
  >;
  return [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies, manifest.optionalDependencies].flatMap((deps) =>
    Object.keys(deps ?? {}),
  );
}

describe('dependency direction portal → api ← etl', () => {
  for (const rule of rules) {
    it(`${rule.from} imports none of ${rule.forbidden.join(', ')} (${rule.why})`, () => {
      const files = tsFiles(join(packagesDir, rule.from, 'src'));
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) => scanSource(file, readFileSync(file, 'utf8'), rule));
      expect(violations).toEqual([]);
    });
  }

  it('reports a forbidden import in a sample source, and leaves allowed ones alone', () => {
    const ruleOf = (from: PackageName): Rule => {
      const rule = rules.find((r) => r.from === from);
      if (!rule) throw new Error(`no rule for ${from}`);
      return rule;
    };
    const [apiRule, portalRule] = [ruleOf('api'), ruleOf('portal')];
    const file = join(packagesDir, 'api', 'src', 'sample.ts');
    const source = [
      `// import { loadSampleSources } from '@hro/etl'; (a comment, not an import)`,
      `import { loadSampleSources } from '@hro/etl';`,
      `import type { Connector } from '@hro/etl/connectors';`,
      `export { createApp } from '../../portal/src/app.js';`,
      `import { EtlRun } from './etl/run.entity.js';`,
      `import { z } from 'zod';`,
      `const lazy = () => import('@hro/portal');`,
    ].join('\n');
    expect(scanSource(file, source, apiRule)).toEqual([
      { file: 'packages/api/src/sample.ts', line: 2, specifier: '@hro/etl', target: 'etl' },
      { file: 'packages/api/src/sample.ts', line: 3, specifier: '@hro/etl/connectors', target: 'etl' },
      { file: 'packages/api/src/sample.ts', line: 4, specifier: '../../portal/src/app.js', target: 'portal' },
      { file: 'packages/api/src/sample.ts', line: 7, specifier: '@hro/portal', target: 'portal' },
    ]);
    const etlImport = `import { loadSampleSources } from '@hro/etl';`;
    expect(scanSource(join(packagesDir, 'portal', 'src', 'app.ts'), etlImport, portalRule)).toHaveLength(1);
    expect(scanSource(join(packagesDir, 'portal', 'src', 'main.ts'), etlImport, portalRule)).toEqual([]);
  });

  it('declares no package dependency against the direction', () => {
    expect(dependencyNames('api')).not.toContain('@hro/etl');
    expect(dependencyNames('api')).not.toContain('@hro/portal');
    expect(dependencyNames('etl')).not.toContain('@hro/portal');
  });
});
