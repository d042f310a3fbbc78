// The main job's account of its stages: for each, its wall time, the CPU and
// lane time of its workers, and its ideal — the time its workers spent in the
// work itself (training steps, forward passes, attributions; measured in the
// workers by lib/util/compute-meter.ts) — with the efficiency ideal ÷ lane
// time; then the whole job against its ideal on all lanes, and every
// worker's peak resident memory.
//
// The step time is each stage's own (the workers time every step they run)
// rather than a calibration at start: the machine's other load changes over
// a run, and a stage's own steps carry the same load as the rest of its
// work, so the ratio measures what surrounds the steps, not the load.
import type { ExecuteOptions, Executor, Unit, UnitRun } from '../worker/executor';
import { addTallies, COMPUTE_KINDS, ComputeTallies, totalSeconds } from '../util/compute-meter';

export interface StageAccount {
  name: string;
  /** Wall seconds from the stage's start to its end. */
  seconds: number;
  units: UnitRun<unknown>[];
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;
const s0 = (seconds: number) => `${seconds.toFixed(0)} s`;

/** Records every stage's time and the units it ran. */
export class StageTable {
  readonly stages: StageAccount[] = [];
  private readonly started = performance.now();
  private readonly startCpu = process.cpuUsage();

  constructor(readonly lanes: number) {}

  /** An executor that runs on `inner` and counts the units it runs as `stage`'s. */
  executor(inner: Executor, stage: StageAccount): Executor {
    return {
      name: inner.name,
      async run<K, M>(units: Unit<K>[], options?: ExecuteOptions<K, M>) {
        const result = await inner.run<K, M>(units, options);
        stage.units.push(...(result.runs ?? []));
        return result;
      },
    };
  }

  /** The stage's account (made on first use: declare stages in the order the table should list them). */
  account(name: string): StageAccount {
    let stage = this.stages.find((s) => s.name === name);
    if (!stage) this.stages.push((stage = { name, seconds: 0, units: [] }));
    return stage;
  }

  /** Runs a stage, handing `work` an executor that counts its units. */
  async time<T>(name: string, inner: Executor, work: (executor: Executor) => Promise<T> | T): Promise<T> {
    const stage = this.account(name);
    const at = performance.now();
    try {
      return await work(this.executor(inner, stage));
    } finally {
      stage.seconds = (performance.now() - at) / 1000;
    }
  }

  /** The stage table: one line per stage, then the whole job. */
  format(): string {
    const rows: string[][] = [['stage', 'wall', 'workers', 'worker CPU', 'lane time', 'ideal', 'efficiency', 'of which']];
    const all: ComputeTallies = {};
    let laneSeconds = 0;
    let workerCpu = 0;
    for (const s of this.stages) {
      const compute = s.units.reduce((t, u) => addTallies(t, u.usage?.compute), {} as ComputeTallies);
      addTallies(all, compute);
      const lane = s.units.reduce((t, u) => t + u.seconds, 0);
      const cpu = s.units.reduce((t, u) => t + (u.usage?.cpuSeconds ?? 0), 0);
      laneSeconds += lane;
      workerCpu += cpu;
      const ideal = totalSeconds(compute);
      rows.push([s.name, s0(s.seconds), String(s.units.length), s0(cpu), s0(lane), s0(ideal), lane > 0 ? `${((100 * ideal) / lane).toFixed(0)}%` : '', describeCompute(compute)]);
    }
    const wall = (performance.now() - this.started) / 1000;
    const mainCpu = cpuSeconds(process.cpuUsage(this.startCpu));
    const ideal = totalSeconds(all) / this.lanes;
    rows.push([
      'main job',
      s0(wall),
      String(this.stages.reduce((n, s) => n + s.units.length, 0)),
      s0(workerCpu),
      s0(laneSeconds),
      s0(ideal),
      wall > 0 ? `${((100 * ideal) / wall).toFixed(0)}%` : '',
      `ideal: compute ÷ ${this.lanes} lanes; CPU of the main process ${s0(mainCpu)}`,
    ]);
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
    return [
      line(rows[0]),
      ...rows.slice(1).map(line),
      'efficiency: ideal ÷ lane time per stage (what surrounds the work inside its workers); for the job, ideal ÷ wall (idle lanes too)',
    ].join('\n');
  }

  /** Every worker's peak resident memory, one line per stage. */
  formatMemory(): string {
    const lines = ['peak resident memory of each worker (MB, the kernel\'s high-water mark):'];
    for (const s of this.stages) {
      if (s.units.length === 0) continue;
      const peaks = s.units.map((u) => (u.usage ? `${u.kind} ${u.key}: ${mb(u.usage.vmHwm ?? u.usage.rssPeak)}` : `${u.kind} ${u.key}: ?`));
      lines.push(`  ${s.name}: ${peaks.join(', ')}`);
    }
    return lines.join('\n');
  }
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** "1860 steps × 0.52 s + 1200 forward × 9 ms + 500 maps × 0.8 s". */
export function describeCompute(t: ComputeTallies): string {
  const unit = { 'training step': 'steps', 'forward pass': 'images forward', attribution: 'maps' } as const;
  return COMPUTE_KINDS.filter((k) => t[k]?.count)
    .map((k) => {
      const { seconds, count } = t[k]!;
      const each = seconds / count;
      return `${count} ${unit[k]} × ${each >= 0.1 ? `${each.toFixed(2)} s` : `${(each * 1000).toFixed(1)} ms`}`;
    })
    .join(' + ');
}
