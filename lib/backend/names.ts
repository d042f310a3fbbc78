// The compute backends smile-lens can run on, best first (select.ts chooses).
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const BACKEND_ENV = 'SMILE_LENS_BACKEND';
