import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The design tokens of one theme, from styles.css. */
function tokens(selector: string): Record<string, string> {
  const css = fs.readFileSync(path.join(import.meta.dirname, '../src/styles.css'), 'utf8');
  const block = css.slice(css.indexOf(`${selector} {`)).split('}')[0]!;
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((match) => [match[1]!, match[2]!]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((index) => {
    const channel = parseInt(hex.slice(index, index + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
};

/** Text colour on the backgrounds it is drawn on, in the shell and the components. */
const PAIRS: [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'surface-2'],
  ['text-muted', 'bg'],
  ['text-muted', 'surface'],
  ['text-muted', 'surface-2'],
  ['accent', 'surface'],
  ['accent', 'bg'],
  ['accent', 'accent-soft'],
  ['accent-text', 'accent'],
  ['danger', 'surface'],
  ['danger', 'danger-soft'],
  ['success', 'success-soft'],
  ['warning', 'warning-soft'],
];

describe('WCAG AA contrast of the tokens (4.5:1 for text)', () => {
  const light = tokens(':root');
  const dark = { ...light, ...tokens(":root[data-theme='dark']") };
  for (const [name, theme] of [['light', light], ['dark', dark]] as const) {
    it(`holds in the ${name} theme`, () => {
      const failures = PAIRS.map(([text, background]) => ({ pair: `${text} on ${background}`, ratio: Math.round(contrast(theme[text]!, theme[background]!) * 100) / 100 })).filter((result) => !(result.ratio >= 4.5));
      expect(failures).toEqual([]);
    });
  }
});
