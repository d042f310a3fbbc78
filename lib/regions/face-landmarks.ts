// The face landmark model behind the landmark masker: @vladmandic/human's
// BlazeFace detector + 468-point MediaPipe face mesh + iris (478 points),
// whose weights ship inside the npm package (models/*.json|bin, MIT). Its
// Node build for wasm (dist/human.node-wasm.js) requires our own
// @tensorflow/tfjs-core/-converter/-backend-wasm 4.22: one TensorFlow.js
// runtime, on whichever backend the project chose; the model files are read
// by our file IOHandler (lib/model/model-files.ts) through a private URL
// scheme, so nothing is fetched.
//
// Why this model (measured 2025-12 on this machine: 2 cores shared with
// other jobs, load average 4–8, so times are medians of 3 runs after a
// warm-up call, and only their ratios are firm):
//
//   package                 licence  installed  runs on wasm in Node   load    ms/image*  faces found**
//   @vladmandic/human 3.3.6 MIT      43 MB      yes (our tfjs)         0.3–0.6 s  70–330    22/22, synthetic 20/20
//   @vladmandic/face-api    MIT      24 MB      yes (our tfjs)         0.4–1.1 s  680–1350  22/22, synthetic 19/20
//     1.7.15, SSD MobileNet + 68 landmarks
//   same, tiny detector     MIT      24 MB      yes                    0.2–0.4 s  180–2000  23/22 (one false face)
//   @tensorflow-models/face-landmarks-detection 1.0.6: no weights in the package (fetched from a hub at run time)
//   @mediapipe/face_mesh 0.4: "solutions can only be loaded on a web page or in a web worker"
//   @mediapipe/tasks-vision: no model file in the package; face-api.js 0.22: no weights, tfjs-core 1.7
//
//   * one face per image, 1920-pixel photos (face-api's demo/sample1–6.jpg) on wasm
//   ** all faces of those six group photos (22), and 20 images of the default synthetic set
//
// Where both found a face, their landmarks agree to a median of 6% of the
// outer eye-corner distance (eye corners, nose tip, mouth corners, chin).
// Human wins on speed (about 5× faster) and on what the masks need: the mesh
// outlines the whole face oval up to the forehead, the lips, the eyelids and
// the brows, where 68 points stop at the brows and have no forehead.
//
// Human is made for video: its frame cache is switched off here (every image
// is detected afresh), and its backend is set to the one already running so
// it never switches the project's backend.
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Size, checkSize } from '../audit/checks';
import { modelJsonHandler } from '../model/model-files';

/** Points per face: 468 mesh points + 2 × 5 iris points. */
export const LANDMARK_COUNT = 478;

export interface FaceLandmarks {
  /** Mesh confidence, 0..1. */
  score: number;
  /** x, y of every landmark, in pixels of the image given to detect(). */
  points: Float64Array;
}

export interface LandmarkDetector {
  /** Faces in an RGB image (row-major, 3 bytes per pixel), most confident first. */
  detect(rgb: Uint8Array, size: Size): Promise<FaceLandmarks[]>;
  /** Seconds the models took to load. */
  loadSeconds: number;
  /** Package and version, for the record. */
  model: string;
}

/** What of Human's result we read (its own typings pull in a second copy of tfjs-core's). */
interface HumanFace {
  score: number;
  mesh: number[][];
}
interface HumanInstance {
  load(): Promise<void>;
  detect(input: tf.Tensor): Promise<{ face: HumanFace[]; error?: string | null }>;
  version: string;
}

const SCHEME = 'smile-lens-model://';
let routed = false;

function routeModelFiles(): void {
  if (routed) return;
  // A router answers null for URLs that are not its own (the typing says IOHandler only).
  tf.io.registerLoadRouter((url) => (typeof url === 'string' && url.startsWith(SCHEME) ? modelJsonHandler(url.slice(SCHEME.length), "one of @vladmandic/human's models") : (null as unknown as tf.io.IOHandler)));
  routed = true;
}

/** The folder holding the package's Node builds (its `exports` map hides subpaths from require). */
function humanDist(): string {
  try {
    return path.dirname(require.resolve('@vladmandic/human'));
  } catch {
    throw new Error('the landmark masker needs the npm package @vladmandic/human (run `npm ci`)');
  }
}

export interface LandmarkDetectorOptions {
  /** Faces to look for (the largest are kept); default 3, so a second face can be reported. */
  maxFaces?: number;
  /** Least mesh confidence of a face, default 0.5. */
  minConfidence?: number;
}

let shared: Promise<LandmarkDetector> | undefined;

/** The detector, loaded once per process (loading takes about half a second). */
export function landmarkDetector(): Promise<LandmarkDetector> {
  shared ??= createLandmarkDetector().catch((e) => {
    shared = undefined;
    throw e;
  });
  return shared;
}

export async function createLandmarkDetector(options: LandmarkDetectorOptions = {}): Promise<LandmarkDetector> {
  const { maxFaces = 3, minConfidence = 0.5 } = options;
  const started = Date.now();
  routeModelFiles();
  const dist = humanDist();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Human } = require(path.join(dist, 'human.node-wasm.js')) as { Human: new (config: object) => HumanInstance };
  const backend = tf.getBackend();
  const wasmDist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  const human = new Human({
    backend,
    wasmPath: wasmDist,
    modelBasePath: SCHEME + path.join(dist, '..', 'models') + path.sep,
    debug: false,
    cacheModels: false,
    validateModels: false,
    warmup: 'none',
    cacheSensitivity: 0,
    skipAllowed: false,
    async: false,
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: maxFaces, minConfidence, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: true },
      iris: { enabled: true },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  });
  await human.load();
  if (tf.getBackend() !== backend) throw new Error(`the landmark model switched the TensorFlow.js backend from ${backend} to ${tf.getBackend()}`);
  const loadSeconds = (Date.now() - started) / 1000;
  return {
    loadSeconds,
    model: `@vladmandic/human ${human.version} (BlazeFace + face mesh + iris)`,
    async detect(rgb, size) {
      checkSize(size, 'landmark detector image size');
      const { height: h, width: w } = size;
      if (rgb.length !== h * w * 3) throw new Error(`landmark detector: expected an RGB image of ${h}×${w}×3 = ${h * w * 3} bytes, got ${rgb.length}`);
      // The detector squashes its input to a square: pad instead, so faces keep their shape.
      const side = Math.max(h, w);
      const top = Math.floor((side - h) / 2);
      const left = Math.floor((side - w) / 2);
      const square = padToSquare(rgb, size, side, top, left);
      const input = tf.tensor4d(square, [1, side, side, 3], 'int32');
      let result: Awaited<ReturnType<HumanInstance['detect']>>;
      try {
        result = await human.detect(input);
      } finally {
        input.dispose();
      }
      if (result.error) throw new Error(`landmark detector: ${result.error}`);
      return result.face
        .filter((f) => f.mesh.length >= LANDMARK_COUNT)
        .map((f) => {
          const points = new Float64Array(LANDMARK_COUNT * 2);
          for (let k = 0; k < LANDMARK_COUNT; k++) {
            points[2 * k] = f.mesh[k][0] - left;
            points[2 * k + 1] = f.mesh[k][1] - top;
          }
          return { score: f.score, points };
        })
        .sort((a, b) => b.score - a.score);
    },
  };
}

/** The image centred on a square canvas filled with its own mean border colour. */
function padToSquare(rgb: Uint8Array, size: Size, side: number, top: number, left: number): Int32Array {
  const { height: h, width: w } = size;
  const sum = [0, 0, 0];
  let count = 0;
  const add = (i: number) => {
    for (let c = 0; c < 3; c++) sum[c] += rgb[i * 3 + c];
    count++;
  };
  for (let x = 0; x < w; x++) add(x);
  if (h > 1) for (let x = 0; x < w; x++) add((h - 1) * w + x);
  for (let y = 1; y < h - 1; y++) {
    add(y * w);
    if (w > 1) add(y * w + w - 1);
  }
  const out = new Int32Array(side * side * 3);
  if (side !== h || side !== w) {
    const fill = sum.map((s) => Math.round(s / count));
    for (let i = 0; i < out.length; i += 3) {
      out[i] = fill[0];
      out[i + 1] = fill[1];
      out[i + 2] = fill[2];
    }
  }
  for (let y = 0; y < h; y++) out.set(rgb.subarray(y * w * 3, (y + 1) * w * 3), ((y + top) * side + left) * 3);
  return out;
}
