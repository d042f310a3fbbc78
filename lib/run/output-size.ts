// About how many bytes a command will write, so that a folder without the
// room is refused before the work starts rather than when a disk fills up
// halfway. Estimates from the settings alone (no data read), rounded up and
// measured against real outputs:
//   synthetic sets   2 kB + 0.3 byte per pixel per image (JPEG at quality 90
//                    and its region map): 11 kB at 244×172, measured 11.0 kB;
//   a trained seed   the paper net's weights 7 times (final model, a
//                    checkpoint with Adam's two moments, and the next
//                    checkpoint while it replaces the last): 3.6 MB at the
//                    default channels;
//   explanations     per map its .npy (float32), PNG overlay and sidecar.
import type { ExperimentConfig } from '../config/experiment';
import type { RunConfig } from '../config/run-config';
import { imageHeight, resolveOptions, SyntheticOptions } from '../data/synthetic/options';

const CLASSES = 5;
const MB = 1e6;

/** Images of a synthetic set: every model neutral, the expressive ones in four more expressions. */
export function syntheticImages(subjects: number, expressiveSubjects: number): number {
  return subjects + 4 * expressiveSubjects;
}

export function syntheticSetBytes(partial: Partial<SyntheticOptions>): number {
  const o = resolveOptions(partial);
  return syntheticImages(o.subjects, o.expressiveSubjects ?? 0) * (2000 + 0.3 * o.width * imageHeight(o.width)) + MB;
}

/** Weights of the paper's network: 3×3 convolutions without bias, batch norm (4 per channel), dense on the concatenated pooling, scores. */
export function paperNetParameters(model: ExperimentConfig['model']): number {
  let params = 0;
  let inputs = 3;
  for (const c of model.channels) {
    params += 9 * inputs * c + 4 * c;
    inputs = c;
  }
  return params + (2 * inputs + 1) * model.dense + (model.dense + 1) * CLASSES;
}

export function trainingBytes(e: Pick<ExperimentConfig, 'seeds' | 'model'>): number {
  return e.seeds.length * 7 * 4 * paperNetParameters(e.model) + MB;
}

/** Explanations of every seed: .npy, PNG and sidecar per image and method. */
export function explanationBytes(e: Pick<ExperimentConfig, 'seeds' | 'size'>, methods: number, imagesPerSeed: number): number {
  return e.seeds.length * methods * imagesPerSeed * (5 * e.size * e.size + 2000);
}

/**
 * The main job's run folder: training, explanations (a cap of 1000 images
 * per seed stands for "all"), 20 MB of audit, sanity and report, the
 * planted-bias sweep's data sets and runs, and the masked retraining's
 * painted-over copy of the data with its run.
 */
export function runBytes(c: RunConfig): number {
  const imagesPerSeed = c.explain.limit || 1000;
  const sweep = c.biasSweep;
  const sweepSet = syntheticSetBytes(sweep.synthetic);
  const sweepBytes = sweep.strengths.length * (sweepSet + trainingBytes(sweep.experiment) + explanationBytes(sweep.experiment, sweep.methods.length, sweep.explainImages || 1000));
  // The masked retraining's painted-over copy of the data (a user's own data: 100 MB assumed).
  const data = c.synthetic ? syntheticSetBytes(c.synthetic) : 100 * MB;
  return trainingBytes(c.experiment) * 2 + explanationBytes(c.experiment, c.explain.methods.length, imagesPerSeed) + 20 * MB + sweepBytes + data;
}
