import jaroWinkler from 'talisman/metrics/jaro-winkler.js';

/** Lower case, no accents, single spaces: how names are compared. */
export function comparable(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Jaro-Winkler of two names as `comparable` writes them, to three decimals: 1 is the same name. */
export function nameSimilarity(left: string, right: string): number {
  return Math.round(jaroWinkler(left, right) * 1000) / 1000;
}
