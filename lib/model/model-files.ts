// Saves and loads models in the TensorFlow.js layers format (model.json +
// weights.bin) that `tf.loadLayersModel` reads (with tfjs-node: 'file://…').
// The pure tfjs package has no file-system IO handler, so this is it, with
// atomic writes: weights first, model.json last, so a model.json on disk
// always points at complete weights.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../util/atomic-write';

export const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData
        ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
        : new Uint8Array();
      writeFileAtomic(path.join(dir, WEIGHTS_BIN), weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
}

/** A tf.io handler reading a model folder written by saveModel (or by tfjs-node). */
export function fileHandler(dir: string): tf.io.IOHandler {
  return modelJsonHandler(path.join(dir, MODEL_JSON), 'a TensorFlow.js layers model.json');
}

/**
 * A tf.io handler reading any TensorFlow.js model.json (layers or graph
 * format) and the weight files its manifest lists, from the file system.
 */
export function modelJsonHandler(jsonPath: string, what = 'a TensorFlow.js model.json'): tf.io.IOHandler {
  return {
    async load() {
      if (!fs.existsSync(jsonPath)) throw new Error(`${jsonPath}: no model here (expected ${what})`);
      const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      const dir = path.dirname(jsonPath);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const file = path.join(dir, p);
          if (!fs.existsSync(file)) throw new Error(`${file}: weights listed in ${jsonPath} are missing`);
          buffers.push(fs.readFileSync(file));
        }
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        modelInitializer: json.modelInitializer,
        initializerSignature: json.initializerSignature,
      };
    },
  };
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileHandler(dir));
}
