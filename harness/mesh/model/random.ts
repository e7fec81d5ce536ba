/**
 * Seeded, counter-based randomness. The link model draws its noise from hash(seed, key, epoch)
 * rather than from a stateful generator, so a value depends only on (seed, link, time): the
 * series is the same whatever order links are registered or ticks are evaluated in. (The stateful
 * generator for one-off generation is harness/random/seeded.ts.)
 */

/** FNV-1a over a string, 32-bit. Stable across processes and platforms. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit integer finaliser (murmur3 fmix32) of two words: cheap and well mixed. */
export function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from two words. */
export function unit(a: number, b: number): number {
  return mix(a, b) / 4294967296;
}
