// Reads a run's explanations back: each sidecar with its map at the input
// resolution (Grad-CAM's raw map upsampled bilinearly, as for the overlays)
// and the image it explains, for figures, notebooks, the audit and the report.
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { readJson } from '../util/atomic-write';
import { readNpy } from '../util/npy';
import { upsampleBilinear } from '../explain/upsample';
import type { RgbImage } from '../explain/overlay';
import { imagePixels, Dataset } from '../data/dataset';
import { experimentDataset, SeedSplit, splitIndices } from '../train/experiment-data';
import { seedFolder } from '../train/train-seed';
import { modelInputs } from '../data/normalisation';
import { loadModel } from '../model/model-files';
import { EXPRESSIONS } from '../data/expressions';
import { readRunConfig } from '../train/experiment';
import { explanationFolder, ExplanationSidecar, Method, readExplanations } from './explain-run';

export interface LoadedExplanation {
  sidecar: ExplanationSidecar;
  /** H × W at the input size. */
  map: Float32Array;
  image: RgbImage;
}

export async function runDataset(runDir: string): Promise<Dataset> {
  const { experiment } = readRunConfig(runDir);
  return experimentDataset(experiment);
}

export function mapAtInputSize(folder: string, s: ExplanationSidecar): Float32Array {
  const npy = readNpy(path.join(folder, s.npy));
  const [h, w] = npy.shape;
  return h === s.inputSize && w === s.inputSize ? npy.data : upsampleBilinear(npy.data, h, w, s.inputSize, s.inputSize);
}

/** The explanations of one seed and method (all, or those `keep` selects), with maps and images. */
export async function loadExplanations(
  runDir: string,
  method: Method,
  seed: number,
  keep: (s: ExplanationSidecar) => boolean = () => true,
  dataset?: Dataset,
): Promise<LoadedExplanation[]> {
  const sidecars = readExplanations(runDir, method, seed);
  if (!sidecars) throw new Error(`${explanationFolder(runDir, method, seed)}: no explanations (run \`smile-lens explain --run ${runDir}\`)`);
  const data = dataset ?? (await runDataset(runDir));
  const index = new Map(data.items.map((item, i) => [item.file, i]));
  const folder = explanationFolder(runDir, method, seed);
  return sidecars.filter(keep).map((sidecar) => {
    const i = index.get(sidecar.image);
    if (i === undefined) throw new Error(`${data.root}: explained image ${sidecar.image} is not in the run's data set`);
    return {
      sidecar,
      map: mapAtInputSize(folder, sidecar),
      image: { width: data.size, height: data.size, data: imagePixels(data, i) },
    };
  });
}

/** A seed's trained model and the given images in its input space (normalised with that seed's training statistics). */
export async function seedModelAndInputs(runDir: string, seed: number, files: string[], dataset?: Dataset): Promise<{ model: tf.LayersModel; inputs: tf.Tensor4D }> {
  const data = dataset ?? (await runDataset(runDir));
  const dir = seedFolder(runDir, seed);
  const split = readJson<SeedSplit>(path.join(dir, 'split.json'), 'a seed split');
  const indices = splitIndices(data, files, 'requested');
  const x = modelInputs(data, indices, split.normalisation, EXPRESSIONS.length);
  return { model: await loadModel(dir), inputs: tf.tensor4d(x.images, [indices.length, data.size, data.size, 3]) };
}
