// The time a process spends in the work a stage exists for — training steps,
// forward passes, attributions — as opposed to everything around it (start-up,
// data loading, checkpoints, files). The main job sets the two side by side
// (lib/pipeline/stage-table.ts): a stage's ideal is the sum of these tallies.
// Process-wide on purpose: a worker runs one job, and reports its tallies
// with its result (lib/worker/usage.ts).

export const COMPUTE_KINDS = ['training step', 'forward pass', 'attribution'] as const;
export type ComputeKind = (typeof COMPUTE_KINDS)[number];

export interface ComputeTally {
  /** Wall seconds spent inside the work. */
  seconds: number;
  /** Training steps, images passed forward, or maps computed. */
  count: number;
}

export type ComputeTallies = Partial<Record<ComputeKind, ComputeTally>>;

const tallies: ComputeTallies = {};

/** Runs `work`, adding its duration and `count` to the tally of `kind`. */
export function metered<T>(kind: ComputeKind, count: number, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    const t = (tallies[kind] ??= { seconds: 0, count: 0 });
    t.seconds += (performance.now() - started) / 1000;
    t.count += count;
  }
}

/** A copy of this process's tallies so far. */
export function computeTallies(): ComputeTallies {
  return JSON.parse(JSON.stringify(tallies)) as ComputeTallies;
}

/** Adds tallies (of several workers) together. */
export function addTallies(into: ComputeTallies, more: ComputeTallies | undefined): ComputeTallies {
  for (const kind of COMPUTE_KINDS) {
    const t = more?.[kind];
    if (!t) continue;
    const sum = (into[kind] ??= { seconds: 0, count: 0 });
    sum.seconds += t.seconds;
    sum.count += t.count;
  }
  return into;
}

/** Seconds over every kind. */
export function totalSeconds(t: ComputeTallies): number {
  return COMPUTE_KINDS.reduce((s, k) => s + (t[k]?.seconds ?? 0), 0);
}
