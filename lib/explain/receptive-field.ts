// Where a layer's cells sit in the input image: the geometry Grad-CAM needs
// to put a coarse map back on the picture. Per axis, cell j of the layer is
// centred on input pixel  offset + stride·j  (pixel centres at integers) and
// sees `size` input pixels. It is derived from the layers between the input
// and the explained one, never assumed:
//   a convolution or pooling with kernel k, stride s, dilation d and padding
//   p_before (TensorFlow 'same': p_total = max((⌈n/s⌉ − 1)·s + d(k − 1) + 1 − n, 0),
//   p_before = ⌊p_total/2⌋, the odd pixel of padding going to the bottom/right;
//   'valid': 0) maps its output cell j to the input span starting at s·j − p_before,
//   centred at s·j − p_before + d(k − 1)/2;
//   zero padding and cropping shift the cells; layers that keep the spatial
//   size (batch norm, activations) are taken as pointwise.
// For the paper's network (three 3×3 convolutions, stride 2, 'same', even
// sizes) p_before = 0 at every block, so block 3's cell j is centred on input
// pixel 8j + 7 and sees 15 pixels; a symmetric (PyTorch-style, padding 1)
// network would centre it on 8j. The usual "half-pixel" resize assumes 8j + 3.5.
import * as tf from '@tensorflow/tfjs';
import { layerGraph } from './layer-graph';

/** Cell j of a layer, along one axis, is centred on input pixel offset + stride·j. */
export interface AxisGeometry {
  offset: number;
  stride: number;
  /** Input pixels one cell sees (its receptive field's extent). */
  size: number;
}

export interface MapGeometry {
  rows: AxisGeometry;
  cols: AxisGeometry;
}

const INPUT_AXIS: AxisGeometry = { offset: 0, stride: 1, size: 1 };

type Pair = [number, number];
const pair = (v: unknown, fallback: number): Pair => {
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0], a[1] ?? a[0]];
};

/** Padding before the first input pixel of a window op along one axis. */
export function paddingBefore(padding: string, inSize: number, kernel: number, stride: number, dilation = 1): number {
  if (padding === 'valid') return 0;
  if (padding !== 'same') throw new Error(`receptive field: padding "${padding}" is not supported (only 'same' and 'valid')`);
  const effective = dilation * (kernel - 1) + 1;
  const total = Math.max((Math.ceil(inSize / stride) - 1) * stride + effective - inSize, 0);
  return Math.floor(total / 2);
}

/** The geometry of a window op's output given its input's, along one axis. */
export function windowAxis(input: AxisGeometry, kernel: number, stride: number, padBefore: number, dilation = 1): AxisGeometry {
  return {
    offset: input.offset + input.stride * (-padBefore + (dilation * (kernel - 1)) / 2),
    stride: input.stride * stride,
    size: input.size + dilation * (kernel - 1) * input.stride,
  };
}

interface LayerConfig {
  kernelSize?: number | number[];
  poolSize?: number | number[];
  strides?: number | number[] | null;
  padding?: string | number | number[] | number[][];
  dilationRate?: number | number[];
  dataFormat?: string;
  cropping?: number | number[] | number[][];
}

const WINDOW_LAYERS = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'AveragePooling2D']);

/** [before rows, before cols] of a ZeroPadding2D / Cropping2D amount. */
function leadingAmounts(v: LayerConfig['padding'] | LayerConfig['cropping']): Pair {
  if (typeof v === 'number') return [v, v];
  const a = v as (number | number[])[];
  const first = (x: number | number[]) => (typeof x === 'number' ? x : x[0]);
  return [first(a[0]), first(a[1] ?? a[0])];
}

function geometryOf(t: tf.SymbolicTensor, input: tf.SymbolicTensor, memo: Map<number, MapGeometry>): MapGeometry {
  if (t.id === input.id) return { rows: INPUT_AXIS, cols: INPUT_AXIS };
  const known = memo.get(t.id);
  if (known) return known;
  const layer = t.sourceLayer;
  const node = layer.inboundNodes[t.nodeIndex];
  if (!node || node.inputTensors.length === 0) throw new Error(`receptive field: "${t.name}" does not come from the model's input`);
  const inputs = node.inputTensors.map((x) => geometryOf(x, input, memo));
  const same = (a: MapGeometry, b: MapGeometry) => JSON.stringify(a) === JSON.stringify(b);
  if (inputs.some((g) => !same(g, inputs[0]))) {
    throw new Error(`receptive field: the inputs of layer "${layer.name}" have different geometries; cannot place its cells on the input`);
  }
  const g = inputs[0];
  const cls = layer.getClassName();
  const config = layer.getConfig() as LayerConfig;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new Error(`receptive field: layer "${layer.name}" is channels-first`);
  const inShape = node.inputTensors[0].shape;
  let out: MapGeometry;
  if (WINDOW_LAYERS.has(cls)) {
    const kernel = pair(config.kernelSize ?? config.poolSize, 1);
    const stride = config.strides === undefined || config.strides === null ? kernel : pair(config.strides, 1);
    const dilation = pair(config.dilationRate, 1);
    const padding = String(config.padding ?? 'valid');
    const [h, w] = [inShape[1], inShape[2]];
    if (typeof h !== 'number' || typeof w !== 'number') throw new Error(`receptive field: layer "${layer.name}" has no fixed input size`);
    out = {
      rows: windowAxis(g.rows, kernel[0], stride[0], paddingBefore(padding, h, kernel[0], stride[0], dilation[0]), dilation[0]),
      cols: windowAxis(g.cols, kernel[1], stride[1], paddingBefore(padding, w, kernel[1], stride[1], dilation[1]), dilation[1]),
    };
  } else if (cls === 'ZeroPadding2D' || cls === 'Cropping2D') {
    const [top, left] = leadingAmounts(cls === 'ZeroPadding2D' ? config.padding : config.cropping);
    const sign = cls === 'ZeroPadding2D' ? -1 : 1;
    out = {
      rows: { ...g.rows, offset: g.rows.offset + sign * top * g.rows.stride },
      cols: { ...g.cols, offset: g.cols.offset + sign * left * g.cols.stride },
    };
  } else {
    const outShape = t.shape;
    const keeps = outShape.length === 4 && inShape.length === 4 && outShape[1] === inShape[1] && outShape[2] === inShape[2];
    if (!keeps) throw new Error(`receptive field: cannot place the cells of layer "${layer.name}" (${cls}) on the input`);
    out = g;
  }
  memo.set(t.id, out);
  return out;
}

/** The input-space geometry of a layer's output cells (the layer must output feature maps). */
export function layerGeometry(model: tf.LayersModel, layer: string): MapGeometry {
  const graph = layerGraph(model);
  const target = graph.layerOutput(layer);
  if (target.rank !== 4) throw new Error(`receptive field: layer "${layer}" outputs rank ${target.rank}, not feature maps`);
  return geometryOf(target, graph.input, new Map());
}

/**
 * The geometry the usual resize assumes (PyTorch's F.interpolate(mode='bilinear',
 * align_corners=False), OpenCV's INTER_LINEAR, tf.image.resizeBilinear with
 * half-pixel centres): the h cells spread evenly over H pixels, cell j centred on
 * (j + ½)·H/h − ½, as if every layer were padded symmetrically.
 */
export function halfPixelGeometry(h: number, w: number, H: number, W: number): MapGeometry {
  const axis = (from: number, to: number): AxisGeometry => ({ offset: (to / from - 1) / 2, stride: to / from, size: to / from });
  return { rows: axis(h, H), cols: axis(w, W) };
}
