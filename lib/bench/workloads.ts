// The two workloads the benchmark times, matching scripts/bench/torch_reference.py:
// a training step of the paper's network (batch-norm in training mode, NLL of
// log-softmax, Adam 1e-3), and a GradientSHAP-sized gradient batch (inference
// mode, ∂ Σ log-softmax(scores)[:, 0] / ∂ images).
import * as tf from '@tensorflow/tfjs';
import { buildPaperNet } from '../model/paper-net';
import { paperOptimizer, trainStep } from '../train/step';

export interface Workload {
  run(): void;
  dispose(): void;
}

export function trainStepWorkload(batch: number, size: number, seed = 0): Workload {
  const model = buildPaperNet({ size, seed });
  const optimizer = paperOptimizer();
  const images = tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 5), 'int32');
  return {
    run: () => void trainStep(model, optimizer, images, labels),
    dispose: () => {
      tf.dispose([images, labels]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

export function gradBatchWorkload(samples: number, size: number, seed = 0): Workload {
  const model = buildPaperNet({ size, seed });
  const images = tf.randomNormal([samples, size, size, 3], 0, 1, 'float32', seed + 2) as tf.Tensor4D;
  const classZero = (x: tf.Tensor) => {
    const logProbs = tf.logSoftmax(model.apply(x, { training: false }) as tf.Tensor2D);
    return tf.sum(tf.slice(logProbs, [0, 0], [-1, 1]));
  };
  const gradient = tf.grad(classZero);
  return {
    // No readback: the PyTorch reference leaves its gradient in memory too, and the
    // wasm backend has finished computing when the op returns.
    run: () => gradient(images).dispose(),
    dispose: () => {
      images.dispose();
      model.dispose();
    },
  };
}
