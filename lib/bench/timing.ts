// Median wall time of a synchronous workload after warm-up: the first calls
// pay for kernel compilation, heap growth and XNNPACK operator creation.
export interface Timing {
  median: number;
  all: number[];
}

export function timeMedian(run: () => void, steps: number, warmup = 2): Timing {
  for (let i = 0; i < warmup; i++) run();
  const all: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    run();
    all.push(performance.now() - start);
  }
  const sorted = [...all].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, all };
}

export function rssMegabytes(): number {
  return process.memoryUsage().rss / (1 << 20);
}
