import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without declarations (bootstrap.mjs runs it before any install)
import { etlNodeFlags, flagsBesides, serverEnv, serverNodeFlags } from '../scripts/node-flags.mjs';

const besides = flagsBesides as (nodeOptions: string | undefined, flags?: string[]) => string[];
const environment = serverEnv as (env: Record<string, string>) => Record<string, string>;

describe('scripts/node-flags.mjs (the V8 flags npm start gives the server, npm run etl the ETL)', () => {
  it('caps the young generation', () => {
    expect(serverNodeFlags).toContain('--max-semi-space-size=4');
  });

  it('gives the ETL a young generation of its own under its old-generation cap, and no pretenuring', () => {
    const flags = etlNodeFlags as string[];
    const size = (name: string) => Number(flags.find((f) => f.startsWith(`--${name}=`))?.split('=')[1]);
    // a capped old generation shrinks V8's young one, unless a flag names it: then whole batches of
    // rows are promoted and a million-row run takes five times as long
    if (flags.some((f) => f.startsWith('--max-old-space-size='))) expect(size('max-semi-space-size')).toBeGreaterThanOrEqual(16);
    expect(size('max-old-space-size')).toBeGreaterThanOrEqual(256);
    expect(flags).toContain('--no-allocation-site-pretenuring');
  });

  it('leaves out what NODE_OPTIONS sets itself, in either spelling, and keeps the rest', () => {
    const flags = ['--max-semi-space-size=4', '--max-old-space-size=512'];
    expect(besides(undefined, flags)).toEqual(flags);
    expect(besides('', flags)).toEqual(flags);
    expect(besides('--max-semi-space-size=16', flags)).toEqual(['--max-old-space-size=512']);
    expect(besides('--enable-source-maps  --max_old_space_size=1024', flags)).toEqual(['--max-semi-space-size=4']);
    expect(besides('--max-semi-space-size-extra=1', flags)).toEqual(flags);
  });

  it('limits malloc to two arenas unless the environment says otherwise, and keeps the rest of it', () => {
    expect(environment({ PORT: '8080' })).toEqual({ PORT: '8080', MALLOC_ARENA_MAX: '2' });
    expect(environment({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_ARENA_MAX: '8' });
  });
});
