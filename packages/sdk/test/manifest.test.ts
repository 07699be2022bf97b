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

it('takes navigation entries under the plugin mount, and refuses paths and ids the shell could not route', () => {
  expect(defineManifest({ ...base, navigation: [{ id: 'home', label: { en: 'Visits', fr: 'Visites' } }, { id: 'map', label: { en: 'Map' }, path: 'map/today', requires: { object: 'company', action: 'read' } }] }).navigation).toEqual([
    { id: 'home', label: { en: 'Visits', fr: 'Visites' }, path: '' },
    { id: 'map', label: { en: 'Map' }, path: 'map/today', requires: { object: 'company', action: 'read' } },
  ]);
  try {
    defineManifest({ ...base, navigation: [{ id: 'Home!', label: { en: 'x' }, path: '/absolute' }, { id: 'ok', label: { en: 'y' }, path: '../up' }] } as never);
    expect.unreachable();
  } catch (error) {
    const paths = (error as { issues: { path: (string | number)[] }[] }).issues.map((issue) => issue.path.join('.'));
    expect(paths.sort()).toEqual(['navigation.0.id', 'navigation.0.path', 'navigation.1.path']);
  }
  // The message names the plugin, where and what, in one line (what a failed start or the CLI prints).
  expect(() => defineManifest({ ...base, navigation: [{ id: 'home', label: { en: 'Home' }, requires: { object: 'company', action: 'write' } }] } as never)).toThrow(
    'The manifest of plugin "visits" is invalid: navigation.0.requires.action: Invalid input: expected "read"',
  );
  expect(() => defineManifest({ ...base, navigation: [{ id: 'home', label: { en: 'Home' }, path: '/home' }] } as never)).toThrow(
    "navigation.0.path: must be '' or lower-case segments separated by / (no leading /)",
  );
});
