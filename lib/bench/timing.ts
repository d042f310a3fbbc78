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

/**
 * Interleaved rounds of two workloads (A, B, A, B, …): on a shared machine the
 * load changes between rounds, and both sides see the same changes. Returns the
 * median over all steps of each side and the per-round medians.
 */
export interface Interleaved {
  ours: number;
  theirs: number;
  oursRounds: number[];
  theirsRounds: number[];
}

export async function interleave(
  rounds: number,
  ours: () => number[] | Promise<number[]>,
  theirs: (() => Promise<number[]>) | undefined,
): Promise<Interleaved> {
  const a: number[][] = [];
  const b: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first, so neither always runs right after the other's warm caches.
    if (theirs && r % 2 === 1) b.push(await theirs());
    a.push(await ours());
    if (theirs && r % 2 === 0) b.push(await theirs());
  }
  return {
    ours: median(a.flat()),
    theirs: theirs ? median(b.flat()) : NaN,
    oursRounds: a.map(median),
    theirsRounds: b.map(median),
  };
}

export function rssMegabytes(): number {
  return process.memoryUsage().rss / (1 << 20);
}
