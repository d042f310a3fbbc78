// The one shape of progress every long-running lib function reports:
// `onProgress(done, total)`. What draws it (a terminal line, a notebook
// output, a worker's message to its parent) is chosen by the caller.
export type ProgressCallback = (done: number, total: number) => void;

/** Calls every reporter given (skipping undefined ones). */
export function fanOut(...reporters: (ProgressCallback | undefined)[]): ProgressCallback {
  return (done, total) => reporters.forEach((r) => r?.(done, total));
}
