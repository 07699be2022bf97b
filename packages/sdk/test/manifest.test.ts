import { expect, it } from 'vitest';
import { defineManifest, PLUGIN_API_VERSION, supportsPluginApi } from '../src/manifest';

const base = { id: 'visits', version: '1.0.0', displayName: { en: 'Visits' }, engines: { rapport: '^1.0.0' } };

it('validates a manifest, filling defaults', () => {
  expect(defineManifest(base)).toMatchObject({ requires: {}, events: [], jobs: [], personalData: [], permissions: { objects: {} } });
});

it('refuses a malformed manifest, naming each problem', () => {
  const attempt = () => defineManifest({ ...base, id: 'Visits!', version: 'one', engines: { rapport: 'whatever' }, requires: { crm: 'latest-ish' } } as never);
  expect(attempt).toThrow();
  try {
    attempt();
  } catch (error) {
    const paths = (error as { issues: { path: (string | number)[] }[] }).issues.map((issue) => issue.path.join('.'));
    expect(paths.sort()).toEqual(['engines.rapport', 'id', 'requires.crm', 'version']);
  }
});

it('says whether this host supports a plugin API range', () => {
  expect(PLUGIN_API_VERSION).toMatch(/^1\./);
  expect(supportsPluginApi('^1.0.0')).toBe(true);
  expect(supportsPluginApi('^2.0.0')).toBe(false);
});
