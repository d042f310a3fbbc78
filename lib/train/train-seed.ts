// Trains the paper's network for one seed, checkpointing after every epoch so
// that an interrupted run resumes where it stopped and ends with the same
// numbers as an uninterrupted one.
//
// The seed folder's layout (checkpoints, final model, result) is
// lib/run/run-folder.ts's SeedFolder: the checkpoint pointer is written last,
// so it always names a complete checkpoint.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildPaperNet, PaperNetConfig } from '../model/paper-net';
import { loadModel, saveModel } from '../model/model-files';
import { createRandom, mixSeed } from '../util/random';
import { metered } from '../util/compute-meter';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import type { CheckpointPointer, EpochRecord, SeedResult } from '../run/files';
import type { SeedFolder } from '../run/run-folder';
import { ClassificationMetrics, classificationMetrics } from './metrics';
import { optimizerState, paperOptimizer, restoreOptimizerState, trainStep } from './step';

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
  /** Per-class weights of the NLL (step.ts); absent: the paper's plain NLL. */
  classWeights?: number[];
}

export interface SeedProgress {
  seed: number;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
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
    metered('forward pass', to - from, () => {
      const scores = model.predict(x) as tf.Tensor;
      out.set(scores.dataSync() as Float32Array, from * data.classes);
      scores.dispose();
    });
    tf.dispose([x, y]);
  }
  return out;
}

/** The order of the training examples in an epoch: a function of (seed, epoch) only, so resuming needs no saved RNG state. */
export function epochOrder(train: ArrayLike<number>, seed: number, epoch: number): number[] {
  return createRandom(mixSeed(seed, epoch, 0x5eed)).shuffle(Array.from(train));
}

async function saveCheckpoint(folder: SeedFolder, model: tf.LayersModel, optimizer: tf.AdamOptimizer, pointer: CheckpointPointer): Promise<void> {
  await saveModel(model, path.join(folder.dir, pointer.folder));
  const named = await optimizerState(optimizer);
  const { data, specs } = await tf.io.encodeWeights(named);
  // getWeights() returns the live accumulators plus a fresh 'iter' scalar.
  tf.dispose(named.map((n) => n.tensor).filter((t) => !(t instanceof tf.Variable)));
  const files = folder.optimizerFiles(pointer.folder);
  writeFileAtomic(files.weights, new Uint8Array(data as ArrayBuffer));
  writeJsonAtomic(files.specs, specs);
  folder.writeCheckpoint(pointer);
  // Older checkpoints are now superseded.
  for (const stale of folder.staleCheckpoints(pointer.folder)) fs.rmSync(stale, { recursive: true, force: true });
}

async function restoreCheckpoint(folder: SeedFolder, optimizer: tf.AdamOptimizer): Promise<{ model: tf.LayersModel; pointer: CheckpointPointer } | undefined> {
  const pointer = folder.readCheckpoint();
  if (!pointer) return undefined;
  const model = await loadModel(path.join(folder.dir, pointer.folder));
  const files = folder.optimizerFiles(pointer.folder);
  const specs = readJson<tf.io.WeightsManifestEntry[]>(files.specs, 'optimizer weight specs');
  const bin = fs.readFileSync(files.weights);
  const decoded = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs);
  await restoreOptimizerState(optimizer, specs.map((s) => ({ name: s.name, tensor: decoded[s.name] })));
  // setWeights copies into new variables.
  tf.dispose(Object.values(decoded));
  return { model, pointer };
}

/**
 * Trains (or resumes, or returns the finished result of) one seed.
 * `train` and `validation` index into `data`.
 */
export async function trainSeed(
  folder: SeedFolder,
  data: TrainingData,
  train: ArrayLike<number>,
  validation: ArrayLike<number>,
  config: SeedConfig,
  onProgress?: (p: SeedProgress) => void,
  onEpoch?: (record: EpochRecord) => void,
): Promise<SeedResult> {
  const done = folder.readResult();
  if (done) return done;
  fs.mkdirSync(folder.dir, { recursive: true });

  const optimizer = paperOptimizer(config.learningRate);
  const restored = await restoreCheckpoint(folder, optimizer);
  const model = restored?.model ?? buildPaperNet({ ...config.model, size: data.size, classes: data.classes, seed: config.seed });
  const history: EpochRecord[] = restored?.pointer.history ?? [];
  let seconds = restored?.pointer.seconds ?? 0;
  // An explicit variable list keeps the optimizer state's order identical
  // between a fresh and a resumed process.
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const labelsOf = (indices: ArrayLike<number>) => Array.from(indices, (i) => data.labels[i]);
  // The last epoch's validation pass is the final model's: kept, not run twice.
  let lastValidation: ClassificationMetrics | undefined;

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
        const r = trainStep(model, optimizer, x, y, varList, config.classWeights);
        tf.dispose([x, y]);
        if (!Number.isFinite(r.loss) || r.loss > config.maxLoss) {
          throw new DivergedError(`seed ${config.seed}: training loss became ${r.loss} at epoch ${epoch}, step ${s + 1}; this seed is stopped (lower the learning rate or check the data)`);
        }
        lossSum += r.loss * (to - from);
        correct += r.correct;
        seen += to - from;
        onProgress?.({ seed: config.seed, epoch, epochs: config.epochs, step: s + 1, steps, loss: lossSum / seen });
      }
      const val = classificationMetrics(predictScores(model, data, validation), labelsOf(validation), data.classes);
      lastValidation = val;
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
      await saveCheckpoint(folder, model, optimizer, { epoch, folder: folder.checkpointName(epoch), history, seconds });
    }
    const validationMetrics = lastValidation ?? classificationMetrics(predictScores(model, data, validation), labelsOf(validation), data.classes);
    await saveModel(model, folder.modelDir);
    const result: SeedResult = { seed: config.seed, status: 'done', epochs: config.epochs, history, validation: validationMetrics, seconds };
    folder.writeResult(result);
    return result;
  } catch (e) {
    if (!(e instanceof DivergedError)) throw e;
    const result: SeedResult = { seed: config.seed, status: 'diverged', message: e.message, epochs: history.length, history, seconds };
    folder.writeResult(result);
    return result;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
