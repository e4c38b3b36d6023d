import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, repoRoot, settings } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => p.setting);
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, databaseUrl: undefined, sampleLoad: 'auto', introspection: true });
    expect(config.dataDir).toBe(join(repoRoot, '.data'));
  });

  it('names every bad setting, all at once', () => {
    expect(problemsOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toEqual(['PORT', 'DATABASE_URL', 'LOG_LEVEL']);
    expect(problemsOf({ DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT']);
  });

  it('gives a one-line message that names the setting', () => {
    try {
      loadConfig({ DATABASE_URL: 'postgres//missing-colon' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toMatch(/^DATABASE_URL: "postgres\/\/missing-colon" must be a postgres:\/\//);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('turns introspection off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', HRO_GRAPHQL_INTROSPECTION: 'on' }).introspection).toBe(true);
  });

  it('reads the persisted-operation allowlist setting: a path from the repository root, enforced unless told otherwise', () => {
    expect(loadConfig({}).graphqlAllowlist).toBeUndefined();
    expect(loadConfig({ HRO_GRAPHQL_ALLOWLIST: 'ops/allowlist.json' }).graphqlAllowlist).toEqual({
      path: join(repoRoot, 'ops/allowlist.json'),
      mode: 'enforce',
    });
    expect(loadConfig({ HRO_GRAPHQL_ALLOWLIST: '/etc/hro/ops.json', HRO_GRAPHQL_ALLOWLIST_MODE: 'lookup' }).graphqlAllowlist).toEqual({
      path: '/etc/hro/ops.json',
      mode: 'lookup',
    });
    expect(problemsOf({ HRO_GRAPHQL_ALLOWLIST_MODE: 'strict' })).toEqual(['HRO_GRAPHQL_ALLOWLIST_MODE']);
  });

  it('is documented in the README, every setting and nothing else', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Konfiguration'), readme.indexOf('\n## ', readme.indexOf('## Konfiguration') + 5));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(settings).sort());
  });
});
