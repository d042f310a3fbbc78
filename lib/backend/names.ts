// The compute backends smile-lens can run on, best first (select.ts chooses),
// and their spellings on the command line: no TensorFlow.js here, so options
// are checked before it loads.
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const BACKEND_ENV = 'SMILE_LENS_BACKEND';

const ALIASES: Record<string, BackendName> = {
  gpu: 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  'tensorflow-gpu': 'tensorflow-gpu',
  node: 'tensorflow',
  native: 'tensorflow',
  'tfjs-node': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** What a valid backend name is, in words. */
export const BACKEND_EXPECTED = `one of ${BACKENDS.join(', ')} (aliases: gpu, node, native)`;

/** The backend `value` names, or undefined. */
export function backendNamed(value: string): BackendName | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

export function parseBackendName(value: string, source: string): BackendName {
  const name = backendNamed(value);
  if (!name) throw new Error(`${source}: unknown backend "${value}"; expected ${BACKEND_EXPECTED}`);
  return name;
}
