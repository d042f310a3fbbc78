// Model randomisation for the sanity checks (Adebayo et al. 2018, "Sanity
// checks for saliency maps", section 3.1, cascading randomisation): the
// trained network's layers are re-initialised one after the other from the
// top (logits first) down to the first block, keeping the earlier ones
// randomised, and the explanations are recomputed after each step. A method
// whose maps stay the same while the network it explains is destroyed is
// not explaining the network.
//
// "Re-initialised" = the weights a freshly built network of the same
// architecture gets from its own initialisers (He normal for convolutions,
// Glorot uniform for dense layers; batch norm back to γ = 1, β = 0, moving
// mean 0, moving variance 1), drawn with a seed the training never used.
import * as tf from '@tensorflow/tfjs';

export interface CascadeStage {
  /** The name the stage is reported under: the top layer group randomised at this step. */
  name: string;
  /** Layers whose weights this step re-initialises (on top of the earlier steps'). */
  layers: string[];
}

/**
 * The layer groups of a model, from the top: a convolutional block's layers
 * (blockN_conv, blockN_bn) go together; any other layer with weights is a
 * group of its own. For the paper's network: scores, dense1, block3, block2, block1.
 */
export function cascadeStages(model: tf.LayersModel): CascadeStage[] {
  const stages: CascadeStage[] = [];
  for (const layer of model.layers) {
    if (layer.getWeights().length === 0) continue;
    const block = /^(block\d+)_/.exec(layer.name)?.[1];
    const name = block ?? layer.name;
    const last = stages[stages.length - 1];
    if (last && last.name === name) last.layers.push(layer.name);
    else stages.push({ name, layers: [layer.name] });
  }
  return stages.reverse();
}

/** Copies the weights of `layers` from `fresh` (a newly initialised twin) into `target`, in place. */
export function reinitialiseLayers(target: tf.LayersModel, fresh: tf.LayersModel, layers: readonly string[]): void {
  for (const name of layers) {
    const from = fresh.getLayer(name).getWeights();
    const to = target.getLayer(name);
    const shapes = to.getWeights().map((w) => w.shape.join('×'));
    if (from.length !== shapes.length || from.some((w, k) => w.shape.join('×') !== shapes[k])) {
      throw new Error(`re-initialising layer ${name}: the fresh network's weights (${from.map((w) => w.shape.join('×')).join(', ')}) do not match (${shapes.join(', ')})`);
    }
    // setWeights copies the values, so `fresh` stays usable and independent.
    to.setWeights(from);
  }
}
