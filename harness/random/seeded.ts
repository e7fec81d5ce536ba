/**
 * The project's one seeded random generator (mulberry32): the same seed gives the same worlds,
 * arrivals, object choices and synthetic fixtures on every machine. Small and fast, with 2^32
 * states — plenty for picking objects and jittering arrivals; nothing here is cryptographic.
 *
 * The reference operator in operator/ does not use it and has no seeded generator: its retry and
 * lease jitter is unseeded on purpose, as a real operator's is (client-go's is too), and the
 * harness and the operator share no code. The mesh simulator's per-link noise is counter-based
 * hashing (harness/mesh/model/random.ts), not a generator: a value there depends on (seed, link,
 * time) only, whatever order it is asked in.
 */

/** Uniform in [0, 1). */
export type Random = () => number;

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape — latency-like: skewed, long right tail. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(lo: number, hi: number): number {
    return Math.floor(this.between(lo, hi + 1));
  }
}

/** The generator as a plain function, for code that only draws uniforms. */
export function seededRandom(seed: number): Random {
  const r = new SeededRandom(seed);
  return () => r.next();
}

/** An exponentially distributed gap with mean 1 (for Poisson arrivals). */
export function exponential(random: Random): number {
  return -Math.log(1 - random());
}
