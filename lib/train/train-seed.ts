// Trains the paper's network for one seed, checkpointing after every epoch so
// that an interrupted run resumes where it stopped and ends with the same
// numbers as an uninterrupted one.
//
// Layout of a seed folder:
//   checkpoint.json            points at the newest complete checkpoint (written last)
//   checkpoint-epoch-<e>/      model + Adam state after epoch e
//   model.json, weights.bin    the final model (tf.loadLayersModel reads it)
//   result.json                final figures; its presence marks the seed done
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildPaperNet, PaperNetConfig } from '../model/paper-net';
import { loadModel, saveModel } from '../model/model-files';
import { createRandom, mixSeed } from '../util/random';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import { ClassificationMetrics, classificationMetrics } from './metrics';
import { paperOptimizer, trainStep } from './step';

/** Images already in the model's input space (normalised), N×S×S×3 row-major. */
export interface TrainingData {
  size: number;
  classes: number;
  images: Float32Array;
  labels: Int32Array;
}

export interface SeedConfig {
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  model: Partial<PaperNetConfig>;
  /** A loss above this (or NaN) stops the seed as diverged. */
  maxLoss: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  seconds: number;
}

export interface SeedResult {
  seed: number;
  status: 'done' | 'diverged';
  message?: string;
  epochs: number;
  history: EpochRecord[];
  validation?: ClassificationMetrics;
  seconds: number;
}

export interface SeedProgress {
  seed: number;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
}

interface CheckpointPointer {
  epoch: number;
  folder: string;
  history: EpochRecord[];
  seconds: number;
}

export class DivergedError extends Error {}

function gather(data: TrainingData, indices: ArrayLike<number>, from: number, to: number): [tf.Tensor4D, tf.Tensor1D] {
  const pixels = data.size * data.size * 3;
  const batch = new Float32Array((to - from) * pixels);
  const labels = new Int32Array(to - from);
  for (let b = from; b < to; b++) {
    const i = indices[b];
    batch.set(data.images.subarray(i * pixels, (i + 1) * pixels), (b - from) * pixels);
    labels[b - from] = data.labels[i];
  }
  return [tf.tensor4d(batch, [to - from, data.size, data.size, 3]), tf.tensor1d(labels, 'int32')];
}

/** Pre-softmax class scores for the given images (inference mode), N×K row-major. */
export function predictScores(model: tf.LayersModel, data: TrainingData, indices: ArrayLike<number>, batchSize = 64): Float32Array {
  const out = new Float32Array(indices.length * data.classes);
  for (let from = 0; from < indices.length; from += batchSize) {
    const to = Math.min(indices.length, from + batchSize);
    const [x, y] = gather(data, indices, from, to);
    const scores = model.predict(x) as tf.Tensor;
    out.set(scores.dataSync() as Float32Array, from * data.classes);
    tf.dispose([x, y, scores]);
  }
  return out;
}

/** The order of the training examples in an epoch: a function of (seed, epoch) only, so resuming needs no saved RNG state. */
export function epochOrder(train: ArrayLike<number>, seed: number, epoch: number): number[] {
  return createRandom(mixSeed(seed, epoch, 0x5eed)).shuffle(Array.from(train));
}

async function saveCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, pointer: CheckpointPointer): Promise<void> {
  const folder = path.join(dir, pointer.folder);
  await saveModel(model, folder);
  const named = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(named);
  // getWeights() returns the live accumulators plus a fresh 'iter' scalar.
  tf.dispose(named.map((n) => n.tensor).filter((t) => !(t instanceof tf.Variable)));
  writeFileAtomic(path.join(folder, 'optimizer.bin'), new Uint8Array(data as ArrayBuffer));
  writeJsonAtomic(path.join(folder, 'optimizer.json'), specs);
  writeJsonAtomic(path.join(dir, 'checkpoint.json'), pointer);
  // Older checkpoints are now superseded.
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('checkpoint-epoch-') && name !== pointer.folder) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

async function restoreCheckpoint(dir: string, optimizer: tf.Optimizer): Promise<{ model: tf.LayersModel; pointer: CheckpointPointer } | undefined> {
  const pointerFile = path.join(dir, 'checkpoint.json');
  if (!fs.existsSync(pointerFile)) return undefined;
  const pointer = readJson<CheckpointPointer>(pointerFile, 'a checkpoint pointer');
  const folder = path.join(dir, pointer.folder);
  const model = await loadModel(folder);
  const specs = readJson<tf.io.WeightsManifestEntry[]>(path.join(folder, 'optimizer.json'), 'optimizer weight specs');
  const bin = fs.readFileSync(path.join(folder, 'optimizer.bin'));
  const decoded = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs);
  await optimizer.setWeights(specs.map((s) => ({ name: s.name, tensor: decoded[s.name] })));
  // setWeights copies into new variables.
  tf.dispose(Object.values(decoded));
  return { model, pointer };
}

export function seedFolder(runDir: string, seed: number): string {
  return path.join(runDir, `seed-${seed}`);
}

export function readSeedResult(dir: string): SeedResult | undefined {
  const file = path.join(dir, 'result.json');
  return fs.existsSync(file) ? readJson<SeedResult>(file, 'a seed result') : undefined;
}

/**
 * Trains (or resumes, or returns the finished result of) one seed.
 * `train` and `validation` index into `data`.
 */
export async function trainSeed(
  dir: string,
  data: TrainingData,
  train: ArrayLike<number>,
  validation: ArrayLike<number>,
  config: SeedConfig,
  onProgress?: (p: SeedProgress) => void,
  onEpoch?: (record: EpochRecord) => void,
): Promise<SeedResult> {
  const done = readSeedResult(dir);
  if (done) return done;
  fs.mkdirSync(dir, { recursive: true });

  const optimizer = paperOptimizer(config.learningRate);
  const restored = await restoreCheckpoint(dir, optimizer);
  const model = restored?.model ?? buildPaperNet({ ...config.model, size: data.size, classes: data.classes, seed: config.seed });
  const history: EpochRecord[] = restored?.pointer.history ?? [];
  let seconds = restored?.pointer.seconds ?? 0;
  // An explicit variable list keeps the optimizer state's order identical
  // between a fresh and a resumed process.
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);

  try {
    for (let epoch = history.length + 1; epoch <= config.epochs; epoch++) {
      const started = Date.now();
      const order = epochOrder(train, config.seed, epoch);
      const steps = Math.ceil(order.length / config.batchSize);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let s = 0; s < steps; s++) {
        const from = s * config.batchSize;
        const to = Math.min(order.length, from + config.batchSize);
        // Batch norm cannot normalise a batch of one.
        if (to - from < 2) continue;
        const [x, y] = gather(data, order, from, to);
        const r = trainStep(model, optimizer, x, y, varList);
        tf.dispose([x, y]);
        if (!Number.isFinite(r.loss) || r.loss > config.maxLoss) {
          throw new DivergedError(`seed ${config.seed}: training loss became ${r.loss} at epoch ${epoch}, step ${s + 1}; this seed is stopped (lower the learning rate or check the data)`);
        }
        lossSum += r.loss * (to - from);
        correct += r.correct;
        seen += to - from;
        onProgress?.({ seed: config.seed, epoch, epochs: config.epochs, step: s + 1, steps, loss: lossSum / seen });
      }
      const val = classificationMetrics(predictScores(model, data, validation), Array.from(validation, (i) => data.labels[i]), data.classes);
      const elapsed = (Date.now() - started) / 1000;
      seconds += elapsed;
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        validationLoss: val.nll,
        validationAccuracy: val.accuracy,
        seconds: elapsed,
      };
      history.push(record);
      onEpoch?.(record);
      await saveCheckpoint(dir, model, optimizer, { epoch, folder: `checkpoint-epoch-${epoch}`, history, seconds });
    }
    const validationMetrics = classificationMetrics(predictScores(model, data, validation), Array.from(validation, (i) => data.labels[i]), data.classes);
    await saveModel(model, dir);
    const result: SeedResult = { seed: config.seed, status: 'done', epochs: config.epochs, history, validation: validationMetrics, seconds };
    writeJsonAtomic(path.join(dir, 'result.json'), result);
    return result;
  } catch (e) {
    if (!(e instanceof DivergedError)) throw e;
    const result: SeedResult = { seed: config.seed, status: 'diverged', message: e.message, epochs: history.length, history, seconds };
    writeJsonAtomic(path.join(dir, 'result.json'), result);
    return result;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
