import { expect, it } from 'vitest';
import { matchPage } from './page-match';

it('finds a plugin page by its exact path first, then by a pattern with :params', () => {
  const pages = { '': 'home', imports: 'list', 'imports/:id': 'one', 'imports/new': 'new' };
  expect(matchPage(pages, '')).toEqual({ page: 'home', params: {} });
  expect(matchPage(pages, 'imports/new')).toEqual({ page: 'new', params: {} });
  expect(matchPage(pages, 'imports/0193-x%20y')).toEqual({ page: 'one', params: { id: '0193-x y' } });
  expect(matchPage(pages, 'imports/a/b')).toBeNull();
  expect(matchPage(pages, 'imports/')).toBeNull();
  expect(matchPage(undefined, '')).toBeNull();
});
