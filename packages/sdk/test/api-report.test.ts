import fs from 'node:fs';
import { expect, it } from 'vitest';
import { currentApi, REPORT } from '../scripts/api-report';

it('keeps the public API of the SDK as reported (else: review the change, then pnpm --filter @rapport/sdk api:update)', () => {
  expect(currentApi()).toBe(fs.readFileSync(REPORT, 'utf8'));
}, 60_000);
