// `npx tsx scripts/bench-explainers.ts`: milliseconds per image of every
// registered explanation method at its default options, the way `explain`
// calls it (one image per call), on the paper's network at its full size
// (untrained weights: the cost does not depend on them). Methods are timed
// round-robin, `--repeats` times, so a neighbour's load spreads over all of
// them. Both the wall time and this process's CPU time (user + system) are
// printed: wasm runs on one thread, so on an idle machine they agree, and on
// a busy one the CPU time is the steadier figure. Medians, one grep-able line
// per method:
//   smile-lens explain_ms method=occlusion backend=wasm size=128 images=4 cpu_median=… wall_median=… cpu=…,…
//
// Options: --backend wasm  --size 128  --images 4  --repeats 3  --methods a,b,…
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, parseBackendName } from '../lib/backend/select';
import { resolveOptions } from '../lib/explain/explainer';
import { EXPLAINERS, explainer } from '../lib/explain/registry';
import { buildPaperNet } from '../lib/model/paper-net';
import { createRandom } from '../lib/util/random';

function parseArgs(argv: string[]) {
  const o = { backend: 'wasm', size: 128, images: 4, repeats: 3, methods: EXPLAINERS.map((e) => e.name) };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    const positive = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer`);
      return n;
    };
    if (flag === '--backend') o.backend = parseBackendName(value(), '--backend');
    else if (flag === '--size') o.size = positive();
    else if (flag === '--images') o.images = positive();
    else if (flag === '--repeats') o.repeats = positive();
    else if (flag === '--methods') o.methods = value().split(',').map((m) => explainer(m).name);
    else throw new Error(`unknown option ${flag} (usage: tsx scripts/bench-explainers.ts [--backend wasm] [--size 128] [--images 4] [--repeats 3] [--methods a,b])`);
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const backend = (await chooseBackend(parseBackendName(o.backend, '--backend'))).name;
  const model = buildPaperNet({ size: o.size, seed: 1 });
  const rnd = createRandom(7);
  const pixels = o.size * o.size * 3;
  const images = Array.from({ length: o.images }, () => tf.tensor4d(Float32Array.from({ length: pixels }, () => rnd.normal(0, 1)), [1, o.size, o.size, 3]));
  const training = tf.tensor4d(Float32Array.from({ length: 32 * pixels }, () => rnd.normal(0, 1)), [32, o.size, o.size, 3]);
  const context = { normalisation: { mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.3] } as never, trainingImages: () => training };
  const run = (name: string) => {
    const e = explainer(name);
    const options = resolveOptions(e);
    const wall = performance.now();
    const cpu = process.cpuUsage();
    images.forEach((x, k) => e.attribute({ model, images: x, classIndex: [k % 5], imageKeys: [k], target: 'logit', context }, options));
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - wall) / o.images, cpu: (used.user + used.system) / 1000 / o.images };
  };
  // Warm-up: kernels compile, the heap grows.
  for (const m of o.methods) run(m);
  const times = new Map<string, { wall: number; cpu: number }[]>(o.methods.map((m) => [m, []]));
  for (let r = 0; r < o.repeats; r++) for (const m of o.methods) times.get(m)!.push(run(m));
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  };
  for (const [m, all] of times) {
    const cpu = all.map((t) => t.cpu);
    const wall = all.map((t) => t.wall);
    console.log(`smile-lens explain_ms method=${m} backend=${backend} size=${o.size} images=${o.images} cpu_median=${median(cpu).toFixed(0)} wall_median=${median(wall).toFixed(0)} cpu=${cpu.map((t) => t.toFixed(0)).join(',')} wall=${wall.map((t) => t.toFixed(0)).join(',')}`);
  }
  tf.dispose([...images, training]);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
