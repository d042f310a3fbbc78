// Timing helpers for the benchmark: per-step wall times, medians, spreads.

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall times in ms of `steps` calls of a synchronous workload. */
export function timeSteps(run: () => void, steps: number): number[] {
  const all: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    run();
    all.push(performance.now() - start);
  }
  return all;
}

/** One side of an interleaved comparison: median over all steps, and per round. */
export interface Side {
  median: number;
  rounds: number[];
}

/**
 * Interleaved rounds of several workloads (A, B, C, C, B, A, A, B, …): on a
 * shared machine the load changes between rounds, and every side sees the
 * same changes; the order flips every round so that none always runs right
 * after another's warm caches.
 */
export async function interleave(rounds: number, sides: (() => number[] | Promise<number[]>)[]): Promise<Side[]> {
  const times: number[][][] = sides.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = sides.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) times[i].push(await sides[i]());
  }
  return times.map((t) => ({ median: median(t.flat()), rounds: t.map(median) }));
}

export function rssMegabytes(): number {
  return process.memoryUsage().rss / (1 << 20);
}
