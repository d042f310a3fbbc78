// The plain JavaScript cpu backend, without TensorFlow.js's "Hi, looks like
// you are running TensorFlow.js in Node.js…" banner: the cpu backend prints
// it on its first tensor, while smile-lens already says which backend runs
// and why (select.ts). That first tensor is made with tfjs's warnings off
// (its IS_TEST flag), then the flag is put back. A file of its own, so a
// notebook on tiny tensors (the exercises) can use it without type-checking
// the backend selection.
import * as tf from '@tensorflow/tfjs'; // registers the cpu backend

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  const env = tf.env();
  const was = env.getBool('IS_TEST');
  env.set('IS_TEST', true);
  try {
    tf.tensor1d([0]).dispose();
  } finally {
    env.set('IS_TEST', was);
  }
}
