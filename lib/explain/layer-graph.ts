// Runs a tf.LayersModel's own layer graph on concrete tensors, with the
// option of substituting the value of any one layer's output. That is how
// both explainers "split" the network at a layer: the activations A come from
// running the graph up to the layer, and the class scores as a function of A
// come from running the rest of the graph with A substituted. It works for
// any layer of any functional DAG (branches that bypass the split layer, such
// as one half of the paper's concat pooling, are evaluated from the input and
// are constants with respect to A), reuses the model's layer objects (so its
// weights), and calls every layer with training = false: batch-norm uses its
// moving statistics, so the images of a batch do not interact. Two layer
// types are evaluated in an equivalent form whose backward pass is cheaper:
// Conv2D unfused (unfused-conv.ts: no weight gradient is ever computed) and
// batch-norm as its per-channel affine map (inference-batch-norm.ts).
//
// Frames: the zero padding a 'same' convolution adds around its input (in
// the image, the training mean colour; in feature maps, no activation) can
// be filled with another colour per image and channel (`start(images,
// frames)`, see unfused-conv.ts). planeFrames finds the colours that make a
// one-colour image an infinite plane of that colour at every layer, which is
// how GradientSHAP's black reference loses the padded border (gradient-shap.ts).
import * as tf from '@tensorflow/tfjs';
import { applyBatchNormInference } from './inference-batch-norm';
import { applyConv2DUnfused } from './unfused-conv';

/** Values already known, by SymbolicTensor id (and padding colours, by frameKey). */
export type GraphValues = Map<number, tf.Tensor>;

/** Where the padding colour of the convolution reading tensor `id` is kept in GraphValues (tensor ids are ≥ 0). */
export const frameKey = (id: number): number => -1 - id;

const isSameConv = (layer: tf.layers.Layer) => layer.getClassName() === 'Conv2D' && (layer.getConfig() as { padding?: unknown }).padding === 'same';

export class LayerGraph {
  readonly input: tf.SymbolicTensor;
  readonly output: tf.SymbolicTensor;

  constructor(readonly model: tf.LayersModel) {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new Error(`explain: expected a model with one input and one output, got ${model.inputs.length} and ${model.outputs.length}`);
    }
    this.input = model.inputs[0];
    this.output = model.outputs[0];
  }

  /** Names of the model's layers, input first. */
  layerNames(): string[] {
    return this.model.layers.map((l) => l.name);
  }

  /** The symbolic output of the named layer: what "A" means for that layer. */
  layerOutput(name: string): tf.SymbolicTensor {
    const layer = this.model.layers.find((l) => l.name === name);
    if (!layer) {
      throw new Error(`explain: the model has no layer "${name}"; its layers are: ${this.layerNames().join(', ')}`);
    }
    // A layer applied more than once (shared) has several outputs; which one
    // is meant would be ambiguous.
    if (layer.inboundNodes.length !== 1) {
      throw new Error(`explain: layer "${name}" is used ${layer.inboundNodes.length} times in the graph; cannot tell which output to explain`);
    }
    const outputs = layer.inboundNodes[0].outputTensors;
    if (outputs.length !== 1) throw new Error(`explain: layer "${name}" has ${outputs.length} outputs; expected one`);
    return outputs[0];
  }

  /**
   * Fresh graph values with the model input set to `images`, and optionally
   * padding colours: by the id of a 'same' convolution's input tensor, a
   * batch × 1 × 1 × C colour (the model's is 0).
   */
  start(images: tf.Tensor, frames?: ReadonlyMap<number, tf.Tensor>): GraphValues {
    const values: GraphValues = new Map([[this.input.id, images]]);
    for (const [id, frame] of frames ?? []) values.set(frameKey(id), frame);
    return values;
  }

  /**
   * For a one-colour image (1 × H × W × C), the padding colour of every
   * 'same' convolution that makes each layer's input constant, i.e. the
   * model's view of an infinite plane of that colour: by input tensor id,
   * 1 × 1 × 1 × C. Call inside tf.tidy.
   */
  planeFrames(image: tf.Tensor): Map<number, tf.Tensor> {
    const values = this.start(image);
    this.evaluate(this.output, values, true);
    const frames = new Map<number, tf.Tensor>();
    for (const [key, value] of values) if (key < 0) frames.set(-1 - key, value);
    return frames;
  }

  /**
   * The value of `target`, computing (and recording in `values`) whatever is
   * missing. Seed `values` with the input, and optionally with a substituted
   * value for some layer's output: everything downstream is then computed
   * from the substitute. Call inside tf.tidy (the intermediates are not
   * disposed here).
   */
  evaluate(target: tf.SymbolicTensor, values: GraphValues, plane = false): tf.Tensor {
    const known = values.get(target.id);
    if (known) return known;
    const layer = target.sourceLayer;
    const node = layer.inboundNodes[target.nodeIndex];
    if (!node || node.inputTensors.length === 0) {
      throw new Error(`explain: no value for "${target.name}" (an input of the graph that was not given)`);
    }
    const inputs = node.inputTensors.map((t) => this.evaluate(t, values, plane));
    let frame = inputs.length === 1 ? values.get(frameKey(node.inputTensors[0].id)) : undefined;
    if (plane && !frame && inputs.length === 1 && isSameConv(layer)) {
      // The input of a plane is constant: its colour is any pixel's.
      frame = tf.slice(inputs[0], [0, 0, 0, 0], [-1, 1, 1, -1]);
      values.set(frameKey(node.inputTensors[0].id), frame);
    }
    const unfused = inputs.length === 1 ? applyConv2DUnfused(layer, inputs[0], frame) : undefined;
    if (frame && !unfused) throw new Error(`explain: cannot give layer "${layer.name}" (${layer.getClassName()}) another padding colour; only Conv2D layers can`);
    const result =
      unfused ??
      (inputs.length === 1 ? applyBatchNormInference(layer, inputs[0]) : undefined) ??
      layer.apply(inputs.length === 1 ? inputs[0] : inputs, { ...(node.callArgs ?? {}), training: false });
    const outputs = Array.isArray(result) ? result : [result];
    node.outputTensors.forEach((t, i) => values.set(t.id, outputs[i] as tf.Tensor));
    const value = values.get(target.id);
    if (!value) throw new Error(`explain: layer "${layer.name}" did not produce "${target.name}"`);
    return value;
  }
}

const graphs = new WeakMap<tf.LayersModel, LayerGraph>();

/** The (cached) layer graph of a model. */
export function layerGraph(model: tf.LayersModel): LayerGraph {
  let graph = graphs.get(model);
  if (!graph) {
    graph = new LayerGraph(model);
    graphs.set(model, graph);
  }
  return graph;
}
