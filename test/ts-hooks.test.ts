import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
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
});
