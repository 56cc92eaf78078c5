/**
 * A small seeded generator (mulberry32) so that splits, shuffles and batch orders are the same on every
 * machine and can be reproduced outside Node (scripts/reference/ re-implements it in Python).
 */
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

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A shuffled copy of 0..n-1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }
}

/** Derives independent child seeds (one per split, per model...) from one run seed. */
export function childSeed(seed: number, ...path: number[]): number {
  let h = seed >>> 0;
  for (const p of path) {
    h = Math.imul(h ^ (p + 0x9e3779b9), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/**
 * Runs `build` with Math.random seeded. tfjs initialisers without an explicit seed draw one from Math.random,
 * and so may learner code: seeding it while a network is built makes the initial weights a function of the
 * run's seed. Safe because each thread builds one network at a time.
 */
export function withSeededMathRandom<T>(seed: number, build: () => T): T {
  const original = Math.random;
  const rng = new SeededRandom(seed);
  Math.random = () => rng.next();
  try {
    return build();
  } finally {
    Math.random = original;
  }
}
