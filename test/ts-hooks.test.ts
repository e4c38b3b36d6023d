import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without declarations (it must run before any TS loader)
import { swcOptions } from '../scripts/ts-hooks.mjs';

const tsconfig = JSON.parse(readFileSync(new URL('../tsconfig.base.json', import.meta.url), 'utf8')) as {
  compilerOptions: Record<string, unknown>;
};

describe('scripts/ts-hooks.mjs (how npm start and the ETL run our TypeScript)', () => {
  it('compiles with the options tsconfig.base.json states', () => {
    const c = tsconfig.compilerOptions;
    const o = swcOptions as { jsc: { target: string; transform: Record<string, boolean> } };
    expect(o.jsc.target).toBe(String(c.target).toLowerCase());
    expect(o.jsc.transform.legacyDecorator).toBe(c.experimentalDecorators);
    expect(o.jsc.transform.decoratorMetadata).toBe(c.emitDecoratorMetadata);
    expect(o.jsc.transform.useDefineForClassFields).toBe(c.useDefineForClassFields);
  });

  it('runs the api with decorator metadata and .js specifiers that name .ts files: the same SDL as the committed one', () => {
    // type-graphql reads design:type emitted by the decorators; a missing one throws or changes a type
    const script = `import 'reflect-metadata'; const m = await import('@hro/api/graphql'); process.stdout.write(await m.printSdl());`;
    const result = spawnSync(process.execPath, ['--import', './scripts/ts-hooks.mjs', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8'));
  });

  it('keeps its output in the cache: a second process with unchanged sources never loads swc, a changed source is compiled again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hro-ts-cache-'));
    try {
      const cache = join(dir, 'cache');
      const file = join(dir, 'probe.ts');
      // whether swc was loaded shows in CommonJS's module cache (the hooks require it on a miss)
      const probe = (value: string) =>
        [
          `import { createRequire } from 'node:module';`,
          `const loaded: boolean = Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('@swc/core'));`,
          `process.stdout.write(JSON.stringify({ value: '${value}', loaded }));`,
        ].join('\n');
      const run = () => {
        const result = spawnSync(process.execPath, ['--import', './scripts/ts-hooks.mjs', file], {
          cwd: new URL('..', import.meta.url),
          encoding: 'utf8',
          env: { ...process.env, HRO_TS_CACHE: cache },
        });
        expect(result.stderr).toBe('');
        return JSON.parse(result.stdout) as { value: string; loaded: boolean };
      };
      writeFileSync(file, probe('first'));
      expect(run()).toEqual({ value: 'first', loaded: true });
      expect(run()).toEqual({ value: 'first', loaded: false });
      writeFileSync(file, probe('second'));
      expect(run()).toEqual({ value: 'second', loaded: true });
      expect(run()).toEqual({ value: 'second', loaded: false });
      // one entry and its map per file, however often it changed; no temporary files left
      expect(
        readdirSync(cache)
          .sort()
          .map((name) => name.replace(/^[0-9a-f]{40}/, 'entry')),
      ).toEqual(['entry.js', 'entry.js.map']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps stack traces to the TypeScript lines, from the cache and without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hro-ts-cache-'));
    try {
      const file = join(dir, 'throws.ts');
      // types and an interface before the throw: the JavaScript's line numbers differ from these
      writeFileSync(
        file,
        [
          'interface A {',
          '  x: number;',
          '}',
          'const f = (a: A): never => {',
          '  throw new Error(`boom ${a.x}`);',
          '};',
          'f({ x: 1 });',
        ].join('\n'),
      );
      const run = (cache: string) =>
        spawnSync(process.execPath, ['--enable-source-maps', '--import', './scripts/ts-hooks.mjs', file], {
          cwd: new URL('..', import.meta.url),
          encoding: 'utf8',
          env: { ...process.env, HRO_TS_CACHE: cache },
        }).stderr;
      const cache = join(dir, 'cache');
      expect(run(cache)).toContain(`${file}:5:9`);
      expect(run(cache)).toContain(`${file}:5:9`);
      // a cache that cannot be written (here: below a file) means an inline map
      expect(run(join(file, 'cache'))).toContain(`${file}:5:9`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
