/** A small seeded PRNG (mulberry32): same seed, same arrivals and object choices across runs. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exponentially distributed gap with mean 1 (for Poisson arrivals). */
export function exponential(random: Random): number {
  return -Math.log(1 - random());
}
