// `npm run bench`: ms per training step of the paper's network and per
// GradientSHAP-sized gradient batch, on each available TensorFlow.js backend,
// beside the PyTorch reference (scripts/bench/torch_reference.py, Debian's
// python3-torch) with the same thread count, interleaved round by round in the
// same run, with the ratios ours/torch. Then the same for the training step at
// other image sizes and batch sizes (how the cost grows). Each thread count
// runs in its own process (wasm's thread count is fixed when it starts).
// One grep-able line per figure:
//   smile-lens train_step_ms backend=wasm threads=1 batch=32 size=128 median=… torch_median=… ratio_to_torch=…
//
// Options: --backends wasm,cpu,…  --threads 1,2  --rounds n  --steps n (per round)
//          --batch n --size px (the main figure)  --scaling-sizes 64,256
//          --scaling-batches 16,64  --no-scaling  --shap-samples n  --no-torch
//          --profile (top kernels of one step)
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import { BACKENDS, BackendName, chooseBackend, parseBackendName } from '../lib/backend/select';
import { interleave, Interleaved, rssMegabytes } from '../lib/bench/timing';
import { TorchReference, WorkloadKind } from '../lib/bench/torch-reference';
import { gradBatchWorkload, trainStepWorkload, Workload } from '../lib/bench/workloads';
import { WASM_THREADS_ENV } from '../lib/backend/wasm-kernels/wasm-threads';

interface Options {
  backends: BackendName[];
  explicitBackends: boolean;
  threads: number[];
  rounds: number;
  steps: number;
  batch: number;
  size: number;
  scalingSizes: number[];
  scalingBatches: number[];
  shapSamples: number;
  torch: boolean;
  profile: boolean;
}

const USAGE =
  'usage: tsx scripts/bench.ts [--backends wasm,cpu] [--threads 1,2] [--rounds 3] [--steps 5] [--batch 32] [--size 128] ' +
  '[--scaling-sizes 64,256] [--scaling-batches 16,64] [--no-scaling] [--shap-samples 50] [--no-torch] [--profile]';

function parseArgs(argv: string[]): Options {
  const o: Options = {
    backends: BACKENDS.filter((b) => b !== 'cpu'),
    explicitBackends: false,
    threads: [1, 2],
    rounds: 3,
    steps: 5,
    batch: 32,
    size: 128,
    scalingSizes: [64, 256],
    scalingBatches: [16, 64],
    shapSamples: 50,
    torch: true,
    profile: false,
  };
  const positive = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got "${v}"`);
    return n;
  };
  const list = (flag: string, v: string | undefined) => (v ?? '').split(',').filter(Boolean).map((x) => positive(flag, x));
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--backends':
        o.backends = value().split(',').filter(Boolean).map((b) => parseBackendName(b, '--backends'));
        o.explicitBackends = true;
        break;
      case '--threads':
        o.threads = list(flag, value());
        if (o.threads.length === 0) throw new Error('--threads: expected a list such as 1,2');
        break;
      case '--rounds':
        o.rounds = positive(flag, value());
        break;
      case '--steps':
        o.steps = positive(flag, value());
        break;
      case '--batch':
        o.batch = positive(flag, value());
        break;
      case '--size':
        o.size = positive(flag, value());
        break;
      case '--scaling-sizes':
        o.scalingSizes = list(flag, value());
        break;
      case '--scaling-batches':
        o.scalingBatches = list(flag, value());
        break;
      case '--no-scaling':
        o.scalingSizes = [];
        o.scalingBatches = [];
        break;
      case '--shap-samples':
        o.shapSamples = positive(flag, value());
        break;
      case '--no-torch':
        o.torch = false;
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--help':
        console.log(USAGE);
        process.exit(0);
      // eslint-disable-next-line no-fallthrough
      default:
        throw new Error(`unknown option ${argv[i]} (see --help)`);
    }
  }
  return o;
}

const fmt = (ms: number) => ms.toFixed(1);
const range = (values: number[], digits = 1) =>
  values.length ? `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}` : 'n/a';

interface Case {
  kind: WorkloadKind;
  batch: number;
  size: number;
  /** The main figure: checked for memory growth and listed first. */
  main: boolean;
}

function cases(o: Options): Case[] {
  const list: Case[] = [
    { kind: 'train', batch: o.batch, size: o.size, main: true },
    { kind: 'grad', batch: o.shapSamples, size: o.size, main: true },
  ];
  for (const size of o.scalingSizes) if (size !== o.size) list.push({ kind: 'train', batch: o.batch, size, main: false });
  for (const batch of o.scalingBatches) if (batch !== o.batch) list.push({ kind: 'train', batch, size: o.size, main: false });
  return list;
}

const FIGURE: Record<WorkloadKind, string> = { train: 'train_step_ms', grad: 'grad_batch_ms' };

interface Row {
  c: Case;
  t: Interleaved;
}

async function measure(c: Case, backend: string, o: Options, torch: TorchReference | undefined): Promise<Interleaved> {
  const workload: Workload = c.kind === 'train' ? trainStepWorkload(c.batch, c.size) : gradBatchWorkload(c.batch, c.size);
  try {
    // Warm-up outside the bookkeeping: it allocates optimizer slots and grows the heap.
    for (let i = 0; i < 2; i++) workload.run();
    const tensorsBefore = tf.memory().numTensors;
    const rssBefore = rssMegabytes();
    const steps = c.main ? o.steps : Math.max(2, Math.ceil(o.steps / 2));
    const oursRound = () => {
      workload.run(); // one untimed step per round, as the reference does
      const times: number[] = [];
      for (let i = 0; i < steps; i++) {
        const start = performance.now();
        workload.run();
        times.push(performance.now() - start);
      }
      return times;
    };
    const theirs = torch ? () => torch.time({ workload: c.kind, batch: c.batch, size: c.size, steps }) : undefined;
    const t = await interleave(c.main ? o.rounds : Math.max(2, o.rounds - 1), oursRound, theirs);
    if (c.main) {
      const tensorsAfter = tf.memory().numTensors;
      const rssAfter = rssMegabytes();
      console.log(
        `smile-lens memory workload=${c.kind} backend=${backend} tensors_before=${tensorsBefore} tensors_after=${tensorsAfter} ` +
          `rss_mb_before=${rssBefore.toFixed(0)} rss_mb_after=${rssAfter.toFixed(0)} ` +
          `verdict=${tensorsAfter === tensorsBefore && rssAfter - rssBefore < 64 ? 'stable' : 'GROWING'}`,
      );
    }
    return t;
  } finally {
    workload.dispose();
  }
}

async function profileStep(o: Options): Promise<void> {
  const workload = trainStepWorkload(o.batch, o.size);
  try {
    workload.run();
    const profile = await tf.profile(() => workload.run());
    const byKernel = new Map<string, number>();
    for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`smile-lens profile backend=${tf.getBackend()} ` + top.map(([name, ms]) => `${name}=${fmt(ms)}`).join(' '));
  } finally {
    workload.dispose();
  }
}

/** Whether anything in this process initialised the cpu backend (the "Hi, looks like…" banner). */
function cpuFallback(): string {
  const registry = (tf.engine() as unknown as { registry: Record<string, { numDataIds?: () => number }> }).registry;
  const cpu = registry['cpu'];
  return cpu ? `initialised buffers=${cpu.numDataIds?.() ?? '?'}` : 'none';
}

function printTable(backend: string, threads: number, rows: Row[], torchOk: boolean): void {
  const train = rows.filter((r) => r.c.kind === 'train').sort((a, b) => a.c.batch - b.c.batch || a.c.size - b.c.size);
  const head = torchOk ? `${backend} vs PyTorch, ${threads} thread${threads > 1 ? 's' : ''} each` : `${backend}, ${threads} thread(s)`;
  console.log(`\ntraining step, ${head} (median ms over all interleaved steps; spread = lowest–highest round median)`);
  console.log(`  batch  size      ${backend.padEnd(6)} (spread)        torch (spread)        ratio (per round)`);
  for (const { c, t } of train) {
    const roundRatios = t.theirsRounds.map((theirs, i) => t.oursRounds[i] / theirs);
    const ours = `${fmt(t.ours).padStart(7)} (${range(t.oursRounds)})`;
    const theirs = torchOk ? `${fmt(t.theirs).padStart(7)} (${range(t.theirsRounds)})` : '    n/a';
    const ratio = torchOk ? `${(t.ours / t.theirs).toFixed(2)}  (${range(roundRatios, 2)})` : 'n/a';
    console.log(`  ${String(c.batch).padStart(5)} ${String(c.size).padStart(5)}   ${ours.padEnd(24)} ${theirs.padEnd(22)} ${ratio}`);
  }
}

async function runOneThreadCount(o: Options, threads: number): Promise<void> {
  if (threads > 1) process.env[WASM_THREADS_ENV] = String(threads);
  let torch: TorchReference | undefined;
  let torchReason = 'disabled with --no-torch';
  if (o.torch) {
    const started = await TorchReference.start(threads);
    if (started instanceof TorchReference) torch = started;
    else torchReason = started.reason;
  }
  console.log(
    `smile-lens bench threads=${threads} batch=${o.batch} size=${o.size} rounds=${o.rounds} steps_per_round=${o.steps} shap_samples=${o.shapSamples} ` +
      (torch ? `torch=${torch.version} reference="${torch.command}"` : `torch=none reason="${torchReason}"`),
  );
  try {
    for (const name of o.backends) {
      if (name === 'cpu' && !o.explicitBackends) continue;
      let backend: string;
      try {
        backend = (await chooseBackend(name)).name;
      } catch (e) {
        const message = (e as Error).message.split('\n')[0];
        console.log(`smile-lens skip backend=${name} reason="${message.replace(/^.*is not available: /, '')}"`);
        continue;
      }
      const wasmThreads = backend === 'wasm' ? (require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')).getThreadsCount() : threads;
      const rows: Row[] = [];
      for (const c of cases(o)) {
        const t = await measure(c, backend, o, torch);
        rows.push({ c, t });
        const ratio = torch ? (t.ours / t.theirs).toFixed(2) : 'n/a';
        console.log(
          `smile-lens ${FIGURE[c.kind]} backend=${backend} threads=${wasmThreads} batch=${c.batch} size=${c.size} median=${fmt(t.ours)} ` +
            `rounds=${range(t.oursRounds)} torch_median=${torch ? fmt(t.theirs) : 'n/a'} torch_rounds=${range(t.theirsRounds)} ratio_to_torch=${ratio}`,
        );
      }
      printTable(backend, wasmThreads, rows, !!torch);
      if (o.profile) await profileStep(o);
      if (backend === 'wasm') console.log(`smile-lens cpu_fallback backend=wasm cpu_backend=${cpuFallback()}`);
    }
    if (!o.backends.includes('cpu') || !o.explicitBackends) {
      console.log('smile-lens skip backend=cpu reason="~290 s per step at batch 32, 128×128; include it with --backends wasm,cpu"');
    }
  } finally {
    torch?.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  if (o.threads.length === 1) return runOneThreadCount(o, o.threads[0]);
  // One process per thread count, one after the other (never at once: they would share the cores).
  const rest = argv.filter((a, i) => !a.startsWith('--threads') && !(argv[i - 1] === '--threads'));
  for (const threads of o.threads) {
    console.log('');
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, ...rest, '--threads', String(threads)], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`bench with --threads ${threads} failed (exit ${child.status ?? child.signal})`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
