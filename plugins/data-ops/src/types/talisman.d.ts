// talisman ships no type declarations for its metrics.
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity of two strings, 0 (nothing alike) to 1 (the same). */
  export default function jaroWinkler(a: string, b: string): number;
}
