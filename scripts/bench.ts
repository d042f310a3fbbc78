// `npm run bench`: ms per training step of the paper's network and per
// GradientSHAP-sized gradient batch, on each available TensorFlow.js backend,
// beside the PyTorch reference (shared/reference/torch_step.py) run in the
// same invocation, with the ratios ours/torch. One grep-able line per figure:
//   smile-lens train_step_ms backend=wasm threads=1 batch=32 size=128 median=… ratio_to_torch=…
//
// Options: --backends wasm,cpu,…  --steps n  --batch n  --size px
//          --threads n (PyTorch's threads, and wasm's via SMILE_LENS_WASM_THREADS)
//          --shap-samples n  --no-torch  --profile (top kernels of one step)
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BACKENDS, BackendName, chooseBackend, parseBackendName } from '../lib/backend/select';
import { rssMegabytes, timeMedian } from '../lib/bench/timing';
import { runTorchReference, torchReferencePath, TorchResult } from '../lib/bench/torch-reference';
import { gradBatchWorkload, trainStepWorkload, Workload } from '../lib/bench/workloads';
import { WASM_THREADS_ENV } from '../lib/backend/wasm-kernels/wasm-threads';

interface Options {
  backends: BackendName[];
  explicitBackends: boolean;
  steps: number;
  batch: number;
  size: number;
  threads: number;
  shapSamples: number;
  torch: boolean;
  profile: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    backends: BACKENDS.filter((b) => b !== 'cpu'),
    explicitBackends: false,
    steps: 5,
    batch: 32,
    size: 128,
    threads: 1,
    shapSamples: 50,
    torch: true,
    profile: false,
  };
  const positive = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--backends':
        o.backends = value().split(',').filter(Boolean).map((b) => parseBackendName(b, '--backends'));
        o.explicitBackends = true;
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
      case '--threads':
        o.threads = positive(flag, value());
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
        console.log('usage: tsx scripts/bench.ts [--backends wasm,cpu] [--steps 5] [--batch 32] [--size 128] [--threads 1] [--shap-samples 50] [--no-torch] [--profile]');
        process.exit(0);
      // eslint-disable-next-line no-fallthrough
      default:
        throw new Error(`unknown option ${argv[i]} (see --help)`);
    }
  }
  return o;
}

const fmt = (ms: number) => ms.toFixed(1);

interface Figure {
  backend: string;
  name: 'train_step_ms' | 'grad_batch_ms';
  median: number;
}

function measure(label: string, backend: string, o: Options, make: () => Workload, describe: string): number {
  const workload = make();
  try {
    // Warm-up outside the bookkeeping: it allocates optimizer slots and grows the heap.
    for (let i = 0; i < 2; i++) workload.run();
    const tensorsBefore = tf.memory().numTensors;
    const rssBefore = rssMegabytes();
    const timing = timeMedian(() => workload.run(), o.steps, 0);
    const tensorsAfter = tf.memory().numTensors;
    const rssAfter = rssMegabytes();
    console.log(
      `smile-lens memory workload=${label} backend=${backend} tensors_before=${tensorsBefore} tensors_after=${tensorsAfter} ` +
        `rss_mb_before=${rssBefore.toFixed(0)} rss_mb_after=${rssAfter.toFixed(0)} ` +
        `verdict=${tensorsAfter === tensorsBefore && rssAfter - rssBefore < 64 ? 'stable' : 'GROWING'}`,
    );
    console.error(`  ${label} on ${backend} (${describe}): ${timing.all.map(fmt).join(', ')} ms`);
    return timing.median;
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

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.threads > 1) process.env[WASM_THREADS_ENV] = String(o.threads);
  const repoRoot = path.resolve(__dirname, '..');
  const figures: Figure[] = [];
  console.log(
    `smile-lens bench batch=${o.batch} size=${o.size} steps=${o.steps} threads=${o.threads} shap_samples=${o.shapSamples} ` +
      `(timings on a shared machine are noisy: compare ratios from the same run)`,
  );

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
    const threads = backend === 'wasm' ? (require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')).getThreadsCount() : o.threads;
    const train = measure('train_step', backend, o, () => trainStepWorkload(o.batch, o.size), `batch ${o.batch}`);
    figures.push({ backend: `${backend} threads=${threads}`, name: 'train_step_ms', median: train });
    const grad = measure('grad_batch', backend, o, () => gradBatchWorkload(o.shapSamples, o.size), `${o.shapSamples} samples`);
    figures.push({ backend: `${backend} threads=${threads}`, name: 'grad_batch_ms', median: grad });
    if (o.profile) await profileStep(o);
    if (backend === 'wasm') console.log(`smile-lens cpu_fallback backend=wasm cpu_backend=${cpuFallback()}`);
  }
  if (!o.backends.includes('cpu') || !o.explicitBackends) {
    console.log('smile-lens skip backend=cpu reason="~290 s per step at batch 32, 128×128; include it with --backends wasm,cpu"');
  }

  let torch: TorchResult = { ok: false, reason: 'disabled with --no-torch' };
  if (o.torch) {
    torch = runTorchReference(torchReferencePath(repoRoot), { batch: o.batch, size: o.size, threads: o.threads, steps: Math.max(o.steps, 3), shapSamples: o.shapSamples });
  }
  if (torch.ok) {
    console.log(`torch train_step_ms batch=${o.batch} size=${o.size} threads=${o.threads} median=${fmt(torch.trainStepMs)}`);
    console.log(`torch grad_batch_ms batch=${o.shapSamples} size=${o.size} threads=${o.threads} median=${fmt(torch.gradBatchMs)}`);
  } else {
    console.log(`smile-lens skip torch reason="${torch.reason}"`);
  }
  for (const f of figures) {
    const batch = f.name === 'train_step_ms' ? o.batch : o.shapSamples;
    const reference = torch.ok ? (f.name === 'train_step_ms' ? torch.trainStepMs : torch.gradBatchMs) : NaN;
    const ratio = torch.ok ? (f.median / reference).toFixed(2) : 'n/a';
    console.log(`smile-lens ${f.name} backend=${f.backend} batch=${batch} size=${o.size} median=${fmt(f.median)} ratio_to_torch=${ratio}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
