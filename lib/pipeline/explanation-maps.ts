// Reads a run's explanations back: each sidecar with its map at the input
// resolution (as the method itself resamples it, e.g. Grad-CAM's layer map
// upsampled as for the overlays) and the image it explains, for figures,
// notebooks, the audit and the report.
import * as tf from '@tensorflow/tfjs';
import { readNpy } from '../util/npy';
import type { RgbImage } from '../explain/overlay';
import { explainer, explainerNames } from '../explain/registry';
import { MapTraits, resolveOptions, traitsOf } from '../explain/explainer';
import { parseRequestKey } from './explain-run';
import { imagePixels, Dataset } from '../data/dataset';
import { experimentDataset, splitIndices } from '../train/experiment-data';
import { modelInputs } from '../data/normalisation';
import { loadModel } from '../model/model-files';
import { EXPRESSIONS } from '../data/expressions';
import type { ExplanationSidecar } from '../run/files';
import { ExplanationFolder, RunFolder, runFolder } from '../run/run-folder';

export interface LoadedExplanation {
  sidecar: ExplanationSidecar;
  /** H × W at the input size. */
  map: Float32Array;
  image: RgbImage;
}

export async function runDataset(dir: string | RunFolder): Promise<Dataset> {
  return experimentDataset(runFolder(dir).readConfig().experiment);
}

/** The registered methods with finished explanations in every one of `seeds`, in the registry's order. */
export function explainedMethods(dir: string | RunFolder, seeds: readonly number[]): string[] {
  const run = runFolder(dir);
  return explainerNames().filter((m) => seeds.every((s) => run.explanations(m, s).readIndex()));
}

/**
 * A stage's options with the methods spelled out: those asked for, else
 * every method the run explained in all of `seeds` (what the audit and the
 * sanity checks look at unless told otherwise), else `fallback`. Methods
 * stay the first key, as in the stages' request keys.
 */
export function withExplainedMethods<C extends { methods?: string[] }>(dir: string | RunFolder, options: C, seeds: readonly number[], stage: string, fallback: readonly string[] = []): Omit<C, 'methods'> & { methods: string[] } {
  const run = runFolder(dir);
  const { methods: asked, ...rest } = options;
  const explained = asked ?? explainedMethods(run, seeds);
  const methods = explained.length ? explained : [...fallback];
  if (methods.length === 0) throw new Error(`${run.dir}: no finished explanations for the ${stage} in seed(s) ${seeds.join(', ')} (run \`smile-lens explain --run ${run.dir}\` first)`);
  return { methods, ...rest };
}

/** What a sidecar's map is (sign, shape, drawing), under the options it was made with. */
export function sidecarTraits(s: ExplanationSidecar): MapTraits {
  const e = explainer(s.method);
  return traitsOf(e, resolveOptions(e, parseRequestKey(s.request).options));
}

/** A sidecar's map at the input's resolution. */
export function mapAtInputSize(folder: ExplanationFolder, s: ExplanationSidecar): Float32Array {
  const npy = readNpy(folder.file(s.npy));
  return explainer(s.method).atInputSize(npy.data, [npy.shape[0], npy.shape[1]], s.parameters, s.inputSize);
}

/** The explanations of one seed and method (all, or those `keep` selects), with maps and images. */
export async function loadExplanations(
  dir: string | RunFolder,
  method: string,
  seed: number,
  keep: (s: ExplanationSidecar) => boolean = () => true,
  dataset?: Dataset,
): Promise<LoadedExplanation[]> {
  const run = runFolder(dir);
  const folder = run.explanations(method, seed);
  const sidecars = folder.readIndex();
  if (!sidecars) throw new Error(`${folder.dir}: no explanations (run \`smile-lens explain --run ${run.dir}\`)`);
  const data = dataset ?? (await runDataset(run));
  const index = new Map(data.items.map((item, i) => [item.file, i]));
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
export async function seedModelAndInputs(dir: string | RunFolder, seed: number, files: string[], dataset?: Dataset): Promise<{ model: tf.LayersModel; inputs: tf.Tensor4D }> {
  const run = runFolder(dir);
  const data = dataset ?? (await runDataset(run));
  const folder = run.seed(seed);
  const split = folder.readSplit();
  const indices = splitIndices(data, files, 'requested');
  const x = modelInputs(data, indices, split.normalisation, EXPRESSIONS.length);
  return { model: await loadModel(folder.modelDir), inputs: tf.tensor4d(x.images, [indices.length, data.size, data.size, 3]) };
}
