// `npm run bench`: ms per training step of the paper's network and per
// GradientSHAP-sized gradient batch, on each available TensorFlow.js backend,
// beside the PyTorch reference (scripts/bench/torch_reference.py, Debian's
// python3-torch) with the same thread count, interleaved round by round in the
// same run, with the ratios ours/torch. Then the same for the training step at
// other image sizes and batch sizes (how the cost grows). Each thread count
// runs in its own process (wasm's thread count is fixed when it starts).
// One grep-able line per figure:
//   smile-lens train_step_ms backend=wasm threads=1 batch=32 size=128 median=… torch_median=… ratio_to_torch=…
// PyTorch runs twice over: as installed, and with glibc's malloc told to keep
// freed memory (lib/bench/torch-reference.ts: on this machine its default
// spends most of PyTorch's step in page faults); both are reported.
//
// Options: --backends wasm,cpu,…  --threads 1,2  --rounds n  --steps n (per round)
//          --batch n --size px (the main figure)  --scaling-sizes 64,256
//          --scaling-batches 16,64  --no-scaling  --shap-samples n  --no-torch
//          --no-torch-tuned  --profile (top kernels of one step)
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import { BACKENDS, BackendName, chooseBackend, parseBackendName } from '../lib/backend/select';
import { activeNativeKernels, nativeThreads } from '../lib/backend/native/native-kernels';
import { interleave, rssMegabytes, Side } from '../lib/bench/timing';
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
  torchTuned: boolean;
  profile: boolean;
}

const USAGE =
  'usage: tsx scripts/bench.ts [--backends wasm,cpu] [--threads 1,2] [--rounds 3] [--steps 5] [--batch 32] [--size 128] ' +
  '[--scaling-sizes 64,256] [--scaling-batches 16,64] [--no-scaling] [--shap-samples 50] [--no-torch] [--no-torch-tuned] [--profile]';

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
    torchTuned: true,
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
      case '--no-torch-tuned':
        o.torchTuned = false;
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

/** Ours, then each PyTorch reference that runs (as installed, allocator tuned). */
interface Row {
  c: Case;
  ours: Side;
  torch: (Side | undefined)[];
}

interface References {
  installed?: TorchReference;
  tuned?: TorchReference;
}

async function measure(c: Case, backend: string, o: Options, refs: References): Promise<Row> {
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
    const torchSides = [refs.installed, refs.tuned].map((ref) => ref && (() => ref.time({ workload: c.kind, batch: c.batch, size: c.size, steps })));
    const sides = await interleave(c.main ? o.rounds : Math.max(2, o.rounds - 1), [oursRound, ...torchSides.filter((s): s is () => Promise<number[]> => s !== undefined)]);
    const ours = sides.shift()!;
    const torch = torchSides.map((s) => (s ? sides.shift() : undefined));
    if (c.main) {
      const tensorsAfter = tf.memory().numTensors;
      const rssAfter = rssMegabytes();
      console.log(
        `smile-lens memory workload=${c.kind} backend=${backend} tensors_before=${tensorsBefore} tensors_after=${tensorsAfter} ` +
          `rss_mb_before=${rssBefore.toFixed(0)} rss_mb_after=${rssAfter.toFixed(0)} ` +
          `verdict=${tensorsAfter === tensorsBefore && rssAfter - rssBefore < 64 ? 'stable' : 'GROWING'}`,
      );
    }
    return { c, ours, torch };
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

const TORCH_LABELS = ['torch', 'torch, malloc tuned'];

function printTable(backend: string, threads: number, rows: Row[]): void {
  const train = rows.filter((r) => r.c.kind === 'train').sort((a, b) => a.c.batch - b.c.batch || a.c.size - b.c.size);
  const shown = TORCH_LABELS.map((_, i) => rows.some((r) => r.torch[i]));
  console.log(`\ntraining step, ${backend} and PyTorch at ${threads} thread${threads > 1 ? 's' : ''} each (median ms over all interleaved steps; spread = lowest–highest round median)`);
  const head = TORCH_LABELS.filter((_, i) => shown[i]).map((l) => `${l.padEnd(24)} ratio (per round)   `).join('');
  console.log(`  batch  size   ${`${backend} (spread)`.padEnd(24)} ${head}`);
  for (const { c, ours, torch } of train) {
    const cells = [`${fmt(ours.median).padStart(7)} (${range(ours.rounds)})`.padEnd(24)];
    torch.forEach((t, i) => {
      if (!shown[i]) return;
      if (!t) return cells.push(''.padEnd(45));
      const perRound = t.rounds.map((theirs, r) => ours.rounds[r] / theirs);
      cells.push(`${fmt(t.median).padStart(7)} (${range(t.rounds)})`.padEnd(24) + ` ${(ours.median / t.median).toFixed(2)} (${range(perRound, 2)})`.padEnd(21));
    });
    console.log(`  ${String(c.batch).padStart(5)} ${String(c.size).padStart(5)}   ${cells.join(' ')}`);
  }
}

async function runOneThreadCount(o: Options, threads: number): Promise<void> {
  if (threads > 1) process.env[WASM_THREADS_ENV] = String(threads);
  const refs: References = {};
  let torchReason = 'disabled with --no-torch';
  if (o.torch) {
    const started = await TorchReference.start(threads);
    if (started instanceof TorchReference) refs.installed = started;
    else torchReason = started.reason;
    if (refs.installed && o.torchTuned) {
      const tuned = await TorchReference.start(threads, true);
      if (tuned instanceof TorchReference) refs.tuned = tuned;
    }
  }
  const torch = refs.installed;
  console.log(
    `smile-lens bench threads=${threads} batch=${o.batch} size=${o.size} rounds=${o.rounds} steps_per_round=${o.steps} shap_samples=${o.shapSamples} ` +
      (torch ? `torch=${torch.version} reference="${torch.command}"` : `torch=none reason="${torchReason}"`) +
      (refs.tuned ? ` tuned_reference="${refs.tuned.command}"` : ''),
  );
  try {
    for (const name of o.backends) {
      if (name === 'cpu' && !o.explicitBackends) continue;
      let backend: string;
      try {
        const choice = await chooseBackend(name);
        backend = choice.name;
        if (choice.kernels) console.log(`smile-lens kernels backend=${backend} "${choice.kernels}"`);
      } catch (e) {
        const message = (e as Error).message.split('\n')[0];
        console.log(`smile-lens skip backend=${name} reason="${message.replace(/^.*is not available: /, '')}"`);
        continue;
      }
      // Our threads: the native convolutions' where they run, else the threaded wasm build's.
      const wasmThreads =
        backend === 'wasm'
          ? activeNativeKernels()
            ? nativeThreads()
            : (require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')).getThreadsCount()
          : threads;
      const rows: Row[] = [];
      for (const c of cases(o)) {
        const row = await measure(c, backend, o, refs);
        rows.push(row);
        const [installed, tuned] = row.torch;
        const figures = (name: string, t: Side | undefined) =>
          t ? ` ${name}_median=${fmt(t.median)} ${name}_rounds=${range(t.rounds)} ratio_to_${name}=${(row.ours.median / t.median).toFixed(2)}` : '';
        console.log(
          `smile-lens ${FIGURE[c.kind]} backend=${backend} threads=${wasmThreads} batch=${c.batch} size=${c.size} median=${fmt(row.ours.median)} ` +
            `rounds=${range(row.ours.rounds)}` +
            (installed ? figures('torch', installed) : ' ratio_to_torch=n/a') +
            figures('torch_tuned', tuned),
        );
      }
      printTable(backend, wasmThreads, rows);
      if (o.profile) await profileStep(o);
      if (backend === 'wasm') console.log(`smile-lens cpu_fallback backend=wasm cpu_backend=${cpuFallback()}`);
    }
    if (!o.backends.includes('cpu') || !o.explicitBackends) {
      console.log('smile-lens skip backend=cpu reason="~290 s per step at batch 32, 128×128; include it with --backends wasm,cpu"');
    }
  } finally {
    refs.installed?.close();
    refs.tuned?.close();
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
