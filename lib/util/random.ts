// Seeded randomness for everything that must repeat: data generation, splits,
// shuffling, GradientSHAP's noise and baselines. mulberry32 is tiny, fast and
// good enough for sampling (not for cryptography).

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(low?: number, high?: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Gaussian (Box–Muller). */
  normal(mean?: number, std?: number): number;
  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T>(items: T[]): T[];
  choice<T>(items: readonly T[]): T;
}

/** Mixes several integers (e.g. seed, epoch) into one 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h ^= p >>> 0;
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
  }
  return h >>> 0;
}

export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  let spare: number | undefined;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    uniform: (low = 0, high = 1) => low + (high - low) * next(),
    int: (n) => Math.floor(next() * n),
    normal(mean = 0, std = 1) {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return mean + std * s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + std * r * Math.cos(2 * Math.PI * v);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    choice(items) {
      if (items.length === 0) throw new Error('choice from an empty list');
      return items[Math.floor(next() * items.length)];
    },
  };
  return random;
}
