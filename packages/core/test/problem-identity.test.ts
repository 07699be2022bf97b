import { expect, it } from 'vitest';
import { ProblemError } from '../src/problems/problem';

it('recognises a problem made by another copy of the class (a plugin beside the bundled server)', () => {
  // What a second copy of @rapport/core (the plugin's) makes: its own class, the same registry symbol.
  const brand: unique symbol = Symbol.for('rapport.problem') as never;
  class OtherCopy extends Error {
    readonly [brand] = true;
    readonly status = 409;
  }
  expect(new OtherCopy('taken') instanceof ProblemError).toBe(true);
  expect(new ProblemError({ status: 404, slug: 'not-found', title: 'Not found' }) instanceof ProblemError).toBe(true);
  expect(Object.assign(new Error('plain'), { status: 400 }) instanceof ProblemError).toBe(false);
  expect(JSON.stringify(new ProblemError({ status: 422, slug: 'validation', title: 'Invalid' }).toJSON())).not.toContain('rapport.problem');
});
